using System.Text;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers.Environment;

/// <summary>
/// The value of a downward-API <c>fieldRef</c> (the kubelet's podFieldSelectorRuntimeValue and fieldpath's
/// ExtractFieldPathAsString): metadata fields, one label or annotation by subscript, spec.nodeName,
/// spec.serviceAccountName and the pod's and node's IPs.
/// </summary>
internal static class PodFieldValues
{
    /// <summary>Throws <see cref="ContainerConfigException"/> for a path the downward API does not offer.</summary>
    public static string Value(string fieldPath, V1Pod pod, ContainerContext context)
    {
        if (TrySplitSubscript(fieldPath, out var path, out var key))
        {
            return path switch
            {
                "metadata.annotations" => ValueOf(pod.Metadata.Annotations, key),
                "metadata.labels" => ValueOf(pod.Metadata.Labels, key),
                _ => throw new ContainerConfigException($"fieldPath \"{fieldPath}\" does not support subscript"),
            };
        }

        return fieldPath switch
        {
            "metadata.name" => pod.Metadata.Name,
            "metadata.namespace" => pod.Metadata.NamespaceProperty,
            "metadata.uid" => pod.Metadata.Uid,
            "metadata.labels" => FormatMap(pod.Metadata.Labels),
            "metadata.annotations" => FormatMap(pod.Metadata.Annotations),
            "spec.nodeName" => pod.Spec.NodeName ?? "",
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "",
            "status.hostIP" or "status.hostIPs" => context.HostIP,
            "status.podIP" => context.PodIPs.Count > 0 ? context.PodIPs[0] : "",
            "status.podIPs" => string.Join(',', context.PodIPs),
            _ => throw new ContainerConfigException($"unsupported fieldPath: {fieldPath}"),
        } ?? "";
    }

    /// <summary>A map as the downward API writes it: sorted <c>key="value"</c> lines (fieldpath.FormatMap).</summary>
    public static string FormatMap(IDictionary<string, string>? map) =>
        map is null
            ? ""
            : string.Join('\n', map.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={Quote(pair.Value)}"));

    private static string ValueOf(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : "";

    // metadata.labels['app'] → ("metadata.labels", "app")
    private static bool TrySplitSubscript(string fieldPath, out string path, out string key)
    {
        path = key = "";
        if (!fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            return false;
        }

        var open = fieldPath.IndexOf("['", StringComparison.Ordinal);
        if (open <= 0)
        {
            return false;
        }

        path = fieldPath[..open];
        key = fieldPath[(open + 2)..^2];
        return true;
    }

    // Go's %q for the strings labels and annotations hold: double quotes with backslash escapes.
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
