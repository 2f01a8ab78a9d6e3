using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>Pod conditions as upstream's podutil reads and writes them (pkg/api/v1/pod/util.go).</summary>
public static class PodConditions
{
    /// <summary>
    /// UpdatePodCondition with a condition of only type and status: added when missing; replaced (reason and message
    /// gone) when its status changes, with a new lastTransitionTime; left alone when the status is already that.
    /// </summary>
    public static void Set(JsonObject pod, string type, string status, TimeProvider time)
    {
        var statusObject = pod.Child("status");
        if (statusObject["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            statusObject["conditions"] = conditions;
        }

        var existing = conditions.Objects().FirstOrDefault(c => c.StringAt("type") == type);
        if (existing?.StringAt("status") == status)
        {
            return;
        }

        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = ObjectMetadata.FormatTimestamp(time.GetUtcNow()),
        };
        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
    }

    /// <summary>IsPodReady: the Ready condition is True.</summary>
    public static bool IsReady(JsonObject pod) =>
        pod.ArrayAt("status", "conditions").Objects().Any(c => c.StringAt("type") == "Ready" && c.StringAt("status") == "True");
}
