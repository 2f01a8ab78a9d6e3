using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Status handling for kinds that own a status but, unlike most, keep no metadata.generation upstream
/// (Services, Namespaces, Nodes, PersistentVolumes and claims).
/// </summary>
public static class StatusRules
{
    /// <summary>An update through the main resource never changes status: the stored one is kept.</summary>
    public static void KeepStatus(JsonObject updated, JsonObject old)
    {
        if (old["status"] is { } status)
        {
            updated["status"] = status.DeepClone();
        }
        else
        {
            updated.Remove("status");
        }
    }

    /// <summary>On create a client's status is replaced by the kind's initial one.</summary>
    public static void ResetStatus(JsonObject created, JsonObject initial)
    {
        created["status"] = initial;
        created.Metadata().Remove("generation");
    }
}
