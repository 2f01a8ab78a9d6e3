using System.Globalization;
using System.Net;
using k8s.Models;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// Where a backend's traffic goes: the ready endpoints of its Service's EndpointSlices, straight to pod IP and port
/// (not the ClusterIP), as ingress-nginx does. A port given by number or name selects the Service port; the slice port
/// of the same name gives the endpoints' port (a Service port's targetPort may be a name each pod resolves itself).
/// </summary>
public static class IngressBackends
{
    /// <summary>The destinations (<c>http://ip:port</c>), or none with the reason why.</summary>
    public static (IReadOnlyList<string> Destinations, string? Problem) Resolve(IngressBackendRef backend, V1Service? service, IEnumerable<V1EndpointSlice> slices)
    {
        if (service is null)
        {
            return ([], $"service \"{backend.Namespace}/{backend.Service}\" not found");
        }

        var servicePort = service.Spec?.Ports?.FirstOrDefault(p => backend.PortNumber is { } number ? p.Port == number : p.Name == backend.PortName);
        if (servicePort is null)
        {
            return ([], $"service \"{backend.Namespace}/{backend.Service}\" does not have port {(object?)backend.PortNumber ?? backend.PortName}");
        }

        var destinations = new List<string>();
        foreach (var slice in slices)
        {
            if (PortOf(slice, servicePort) is not { } port)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                // Upstream reads a missing ready condition as ready.
                if (endpoint.Conditions?.Ready == false)
                {
                    continue;
                }

                foreach (var address in endpoint.Addresses ?? [])
                {
                    if (IPAddress.TryParse(address, out var ip))
                    {
                        destinations.Add($"http://{new IPEndPoint(ip, port)}");
                    }
                }
            }
        }

        return (destinations.Distinct().ToList(), null);
    }

    private static int? PortOf(V1EndpointSlice slice, V1ServicePort servicePort)
    {
        var named = slice.Ports?.FirstOrDefault(p => (p.Name ?? string.Empty) == (servicePort.Name ?? string.Empty));
        if (named?.Port is { } port)
        {
            return port;
        }

        return servicePort.TargetPort is { } target && int.TryParse(target.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
    }
}
