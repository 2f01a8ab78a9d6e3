using k8s.Models;

namespace Timonel.Agent.Proxy;

/// <summary>
/// The endpoints of a Service port, read from its EndpointSlices as upstream's EndpointSliceCache does: IPv4 slices
/// only, the slice port of the same name and protocol, the first address of each endpoint; an address listed twice
/// (a pod moving between slices) counts once, its ready listing preferred.
/// </summary>
public static class SliceEndpoints
{
    public static List<ProxyEndpoint> For(ProxyServicePort port, IEnumerable<V1EndpointSlice> slices, string nodeName)
    {
        var byAddress = new Dictionary<(string, int), ProxyEndpoint>();
        foreach (var slice in slices)
        {
            if (slice.AddressType != "IPv4")
            {
                continue;
            }

            var slicePort = (slice.Ports ?? []).FirstOrDefault(p => (p.Name ?? "") == port.PortName && (p.Protocol ?? "TCP").Equals(port.Protocol, StringComparison.OrdinalIgnoreCase));
            if (slicePort?.Port is not { } number)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Addresses is not { Count: > 0 } addresses)
                {
                    continue;
                }

                // Unset conditions mean ready (and so serving), as the API documents.
                var ready = endpoint.Conditions?.Ready ?? true;
                var found = new ProxyEndpoint(
                    addresses[0],
                    number,
                    ready,
                    endpoint.Conditions?.Serving ?? ready,
                    endpoint.Conditions?.Terminating ?? false,
                    endpoint.NodeName == nodeName);
                if (!byAddress.TryGetValue((found.Ip, number), out var known) || (!known.Ready && found.Ready))
                {
                    byAddress[(found.Ip, number)] = found;
                }
            }
        }

        return [.. byAddress.Values.OrderBy(e => e.Ip, StringComparer.Ordinal).ThenBy(e => e.Port)];
    }

    /// <summary>The Service a slice belongs to, by its kubernetes.io/service-name label.</summary>
    public static string? ServiceOf(V1EndpointSlice slice) =>
        slice.Metadata.Labels is { } labels && labels.TryGetValue(ProxyLabels.ServiceName, out var name) ? name : null;
}
