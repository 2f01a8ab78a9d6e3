using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// The default/kubernetes Endpoints and EndpointSlice for a set of API server addresses, as upstream's endpoint
/// reconciler writes them (pkg/controlplane/reconcilers: one subset, the addresses sorted, the "https" port).
/// </summary>
public static class KubernetesEndpoints
{
    public const string Name = "kubernetes";

    public const string Namespace = "default";

    /// <summary>The Endpoints; labelled so the EndpointSlice mirroring controller leaves it alone (the reconciler writes the slice itself).</summary>
    public static JsonObject Endpoints(IReadOnlyList<string> addresses, int port) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Endpoints",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
        },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray([.. addresses.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip })]),
            ["ports"] = Ports(port),
        }),
    };

    /// <summary>
    /// The EndpointSlice (reconcilers/endpointsadapter.go, endpointSliceFromEndpoints): kubectl describe service reads
    /// the slices, not the Endpoints.
    /// </summary>
    public static JsonObject EndpointSlice(IReadOnlyList<string> addresses, int port) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = Name },
        },
        ["addressType"] = addresses.Count > 0 && IPAddress.Parse(addresses[0]).AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
        ["endpoints"] = new JsonArray([.. addresses.Select(ip => (JsonNode)new JsonObject
        {
            ["addresses"] = new JsonArray(ip),
            ["conditions"] = new JsonObject { ["ready"] = true },
        })]),
        ["ports"] = Ports(port),
    };

    private static JsonArray Ports(int port) => new(new JsonObject { ["name"] = "https", ["port"] = port, ["protocol"] = "TCP" });
}
