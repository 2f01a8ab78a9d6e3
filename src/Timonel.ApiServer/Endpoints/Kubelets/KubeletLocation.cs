using System.Net;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Endpoints.Kubelets;

/// <summary>
/// Where a node's kubelet answers (upstream's GetNodeInfo in pkg/kubelet/client): the node's InternalIP (its
/// Hostname when it reports no InternalIP) and status.daemonEndpoints.kubeletEndpoint.Port, 10250 when unset.
/// </summary>
public static class KubeletLocation
{
    public const int DefaultPort = 10250;

    public static Uri For(JsonObject node)
    {
        var name = node.StringAt("metadata", "name") ?? "";
        var addresses = node.ArrayAt("status", "addresses") ?? [];
        var host = AddressOfType(addresses, "InternalIP") ?? AddressOfType(addresses, "Hostname")
            ?? throw StatusException.BadRequest($"node {name} has no address to reach its kubelet at");
        var port = node.LongAt("status", "daemonEndpoints", "kubeletEndpoint", "Port") is { } p and > 0 and <= 65535 ? (int)p : DefaultPort;
        var literal = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        return new Uri($"https://{literal}:{port}");
    }

    private static string? AddressOfType(JsonArray addresses, string type) =>
        addresses.FirstOrDefault(a => a.StringAt("type") == type && a.StringAt("address") is { Length: > 0 })?.StringAt("address");
}
