using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>What the checks read of a pod or a controller's pod template: its metadata and its spec.</summary>
public sealed class PodSecurityPod
{
    public PodSecurityPod(JsonObject? metadata, JsonObject? spec)
    {
        Spec = spec ?? [];
        Annotations = metadata.ObjectAt("annotations") is { } annotations
            ? annotations.Where(a => a.Value is JsonValue).ToDictionary(a => a.Key, a => a.Value!.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public JsonObject Spec { get; }

    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>spec.securityContext, or null.</summary>
    public JsonObject? SecurityContext => Spec.ObjectAt("securityContext");

    /// <summary>Init containers, then containers, then ephemeral containers, as upstream's visitContainers walks them.</summary>
    public IEnumerable<JsonObject> Containers =>
        new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(name => Spec.ArrayAt(name) ?? [])
            .OfType<JsonObject>();

    /// <summary>spec.os.name is windows: restricted's Linux-only rules do not apply from v1.25.</summary>
    public bool IsWindows => Spec.StringAt("os", "name") == "windows";

    public static string Name(JsonObject container) => container.StringAt("name") ?? "";
}
