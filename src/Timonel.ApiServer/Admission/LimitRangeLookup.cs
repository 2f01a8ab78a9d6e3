using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// A namespace's LimitRanges for LimitRanger, as upstream's GetLimitRanges finds them: from the watch cache; when it
/// holds none (a LimitRange created a moment ago may not have reached it), from a consistent list, whose answer is
/// then trusted for 30 seconds (liveTTL) so a namespace without LimitRanges costs no store read per pod.
/// </summary>
internal sealed class LimitRangeLookup(StoreRegistry registry, TimeProvider time)
{
    // limitranger/admission.go: liveLookupCache entries live 30 seconds.
    private static readonly TimeSpan _liveTtl = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, IReadOnlyList<JsonObject> Items)> _live = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string ns, CancellationToken cancellationToken)
    {
        var store = registry.Get("", "limitranges");
        var cached = store.ListRecent(ns);
        if (cached.Count > 0)
        {
            return cached;
        }

        var now = time.GetUtcNow();
        if (_live.TryGetValue(ns, out var remembered) && remembered.Expires > now)
        {
            return remembered.Items;
        }

        var list = await store.ListAsync(ns, ListQuery.All, cancellationToken);
        IReadOnlyList<JsonObject> items = [.. list["items"]!.AsArray().OfType<JsonObject>()];
        _live[ns] = (now + _liveTtl, items);
        return items;
    }
}
