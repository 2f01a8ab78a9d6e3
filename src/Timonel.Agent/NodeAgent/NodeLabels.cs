namespace Timonel.Agent.NodeAgent;

/// <summary>The labels and annotations a kubelet registers its Node with (kubelet_node_status.go initialNode, getNodeLabels).</summary>
internal static class NodeLabels
{
    /// <summary>Hostname, OS and architecture; the beta OS/arch labels are still set alongside the GA ones.</summary>
    public static Dictionary<string, string> Standard(string nodeName, string architecture) => new(StringComparer.Ordinal)
    {
        ["beta.kubernetes.io/arch"] = architecture,
        ["beta.kubernetes.io/os"] = "linux",
        ["kubernetes.io/arch"] = architecture,
        ["kubernetes.io/hostname"] = nodeName,
        ["kubernetes.io/os"] = "linux",
    };

    /// <summary>Set by the kubelet when the attach/detach controller manages volumes (its default).</summary>
    public static Dictionary<string, string> Annotations() => new(StringComparer.Ordinal) { ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true" };
}
