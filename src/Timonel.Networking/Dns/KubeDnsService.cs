using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace Timonel.Networking.Dns;

/// <summary>
/// kube-system/kube-dns as K3s' CoreDNS manifest declares it (ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP,
/// label k8s-app=kube-dns), without a selector: the DNS runs in the server, not in a pod, so its Endpoints and
/// EndpointSlice are written by the server with the addresses the DNS listens on, as the kubernetes Service's are.
/// </summary>
public static class KubeDnsService
{
    public const string Name = "kube-dns";
    public const string Namespace = "kube-system";
    public const string AppLabel = "k8s-app";

    public static V1Service Service(IPAddress clusterIP) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string>
            {
                [AppLabel] = Name,
                ["kubernetes.io/cluster-service"] = "true",
                ["kubernetes.io/name"] = "CoreDNS",
            },
            Annotations = new Dictionary<string, string>
            {
                ["prometheus.io/port"] = "9153",
                ["prometheus.io/scrape"] = "true",
            },
        },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = clusterIP.ToString(),
            ClusterIPs = [clusterIP.ToString()],
            Ports =
            [
                new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP", TargetPort = 53 },
                new V1ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP", TargetPort = 53 },
                new V1ServicePort { Name = "metrics", Port = 9153, Protocol = "TCP", TargetPort = 9153 },
            ],
        },
    };

    /// <summary>The Endpoints, labelled so the mirroring controller leaves them alone (the server writes the slice too).</summary>
    public static V1Endpoints Endpoints(IReadOnlyList<IPAddress> addresses, int port) => new()
    {
        ApiVersion = "v1",
        Kind = "Endpoints",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { [AppLabel] = Name, ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
        },
        Subsets = addresses.Count == 0 ? null :
        [
            new V1EndpointSubset
            {
                Addresses = [.. addresses.Select(address => new V1EndpointAddress { Ip = address.ToString() })],
                Ports = [new Corev1EndpointPort { Name = "dns", Port = port, Protocol = "UDP" }, new Corev1EndpointPort { Name = "dns-tcp", Port = port, Protocol = "TCP" }],
            },
        ],
    };

    public static V1EndpointSlice EndpointSlice(IReadOnlyList<IPAddress> addresses, int port) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { [ServiceDirectory.ServiceNameLabel] = Name, [AppLabel] = Name },
        },
        AddressType = addresses.Count > 0 && addresses[0].AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
        Endpoints = [.. addresses.Select(address => new V1Endpoint { Addresses = [address.ToString()], Conditions = new V1EndpointConditions { Ready = true } })],
        Ports = [new Discoveryv1EndpointPort { Name = "dns", Port = port, Protocol = "UDP" }, new Discoveryv1EndpointPort { Name = "dns-tcp", Port = port, Protocol = "TCP" }],
    };
}
