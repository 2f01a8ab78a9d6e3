using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Certificates;

/// <summary>Upstream's populateConditionTimestamps (pkg/registry/certificates/certificates/strategy.go).</summary>
internal static class CertificateConditions
{
    /// <summary>
    /// Fills a condition's missing lastUpdateTime with now, and its missing lastTransitionTime with the stored
    /// condition's of the same type and status, else now.
    /// </summary>
    public static void PopulateTimestamps(JsonObject updated, JsonObject? old, TimeProvider time)
    {
        var now = ObjectMetadata.FormatTimestamp(time.GetUtcNow());
        var previous = old.ArrayAt("status", "conditions").Objects().ToList();
        foreach (var condition in updated.ArrayAt("status", "conditions").Objects())
        {
            if (string.IsNullOrEmpty(condition.StringAt("lastUpdateTime")))
            {
                condition["lastUpdateTime"] = now;
            }

            if (string.IsNullOrEmpty(condition.StringAt("lastTransitionTime")))
            {
                var same = previous.FirstOrDefault(p => p.StringAt("type") == condition.StringAt("type") && p.StringAt("status") == condition.StringAt("status"));
                condition["lastTransitionTime"] = same?.StringAt("lastTransitionTime") is { Length: > 0 } kept ? kept : now;
            }
        }
    }
}
