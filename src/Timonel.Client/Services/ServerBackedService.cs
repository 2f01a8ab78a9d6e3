using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace Timonel.Client.Services;

/// <summary>
/// A Service without selector whose backends are the cluster's servers rather than pods (kube-dns, the Ingress
/// controller): the Service object as first created, the ports the servers listen on, and the Endpoints and
/// EndpointSlice (same name as the Service) listing the servers' addresses, as the kubernetes Service's are written.
/// </summary>
public sealed record ServerBackedService(V1Service Service, IReadOnlyList<ServerEndpointPort> Ports)
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    public string Name => Service.Metadata.Name;

    public string Namespace => Service.Metadata.NamespaceProperty;

    /// <summary>The Endpoints, labelled so the mirroring controller leaves them alone (the server writes the slice too).</summary>
    public V1Endpoints Endpoints(IReadOnlyList<IPAddress> addresses) => new()
    {
        ApiVersion = "v1",
        Kind = "Endpoints",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string>(Service.Metadata.Labels ?? new Dictionary<string, string>()) { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
        },
        Subsets = addresses.Count == 0 ? null :
        [
            new V1EndpointSubset
            {
                Addresses = [.. addresses.Select(address => new V1EndpointAddress { Ip = address.ToString() })],
                Ports = [.. Ports.Select(port => new Corev1EndpointPort { Name = port.Name, Port = port.Port, Protocol = port.Protocol })],
            },
        ],
    };

    public V1EndpointSlice EndpointSlice(IReadOnlyList<IPAddress> addresses) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string>(Service.Metadata.Labels ?? new Dictionary<string, string>()) { [ServiceNameLabel] = Name },
        },
        AddressType = addresses.Count > 0 && addresses[0].AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
        Endpoints = [.. addresses.Select(address => new V1Endpoint { Addresses = [address.ToString()], Conditions = new V1EndpointConditions { Ready = true } })],
        Ports = [.. Ports.Select(port => new Discoveryv1EndpointPort { Name = port.Name, Port = port.Port, Protocol = port.Protocol })],
    };
}
