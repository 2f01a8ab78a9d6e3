using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The default class of a kind (StorageClass, IngressClass) as upstream's defaulting plugins pick it: of the classes
/// marked default, the newest by creationTimestamp, then the first by name.
/// </summary>
internal static class DefaultClasses
{
    /// <summary>The default class among <paramref name="group"/>/<paramref name="plural"/>, or null when none is marked.</summary>
    public static async ValueTask<JsonObject?> NewestAsync(StoreRegistry registry, string group, string plural, Func<JsonObject, bool> isDefault, CancellationToken cancellationToken)
    {
        // A consistent list: the objects needing a class are created seldom, and a class made a moment ago must count.
        var classes = await registry.Get(group, plural).ListAsync(null, ListQuery.All, cancellationToken);
        return classes["items"]!.AsArray().OfType<JsonObject>()
            .Where(isDefault)
            .OrderByDescending(c => c.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal)
            .ThenBy(c => c.Name(), StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
