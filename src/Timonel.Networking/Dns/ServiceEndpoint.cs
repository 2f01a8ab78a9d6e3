using System.Net;
using k8s.Models;

namespace Timonel.Networking.Dns;

/// <summary>
/// One address of a Service's endpoint as DNS names it: the endpoint's hostname when it has one (a StatefulSet pod
/// whose subdomain is the Service), otherwise its address with dashes (CoreDNS' endpointHostname).
/// </summary>
public sealed record ServiceEndpoint(string Name, IPAddress Address, IReadOnlyList<Discoveryv1EndpointPort> Ports)
{
    /// <summary>
    /// The endpoints DNS publishes for <paramref name="service"/>: the ready ones, or all when the Service publishes
    /// not-ready addresses (CoreDNS counts an endpoint without a ready condition as ready).
    /// </summary>
    public static IReadOnlyList<ServiceEndpoint> Of(V1Service service, IReadOnlyList<V1EndpointSlice> slices)
    {
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        var seen = new HashSet<(string, IPAddress)>();
        var endpoints = new List<ServiceEndpoint>();
        foreach (var slice in slices)
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (!publishNotReady && endpoint.Conditions?.Ready == false)
                {
                    continue;
                }

                foreach (var text in endpoint.Addresses ?? [])
                {
                    if (IPAddress.TryParse(text, out var address) && seen.Add((endpoint.Hostname ?? "", address)))
                    {
                        endpoints.Add(new ServiceEndpoint(NameOf(endpoint.Hostname, address), address, [.. slice.Ports ?? []]));
                    }
                }
            }
        }

        return endpoints;
    }

    /// <summary>The label an endpoint answers to under its Service's name.</summary>
    public static string NameOf(string? hostname, IPAddress address) =>
        !string.IsNullOrEmpty(hostname) ? hostname.ToLowerInvariant() : address.ToString().Replace('.', '-').Replace(':', '-');
}
