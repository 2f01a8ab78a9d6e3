using System.Net;
using k8s.Models;
using Timonel.Client.Services;

namespace Timonel.Networking.Dns;

/// <summary>
/// kube-system/kube-dns as K3s' CoreDNS manifest declares it (ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP,
/// label k8s-app=kube-dns), without a selector: the DNS runs in the server, not in a pod, so its Endpoints and
/// EndpointSlice are written by the servers with the addresses the DNS listens on (<see cref="ServerBackedServicePublisher"/>).
/// </summary>
public static class KubeDnsService
{
    public const string Name = "kube-dns";
    public const string Namespace = "kube-system";
    public const string AppLabel = "k8s-app";

    /// <summary>The Service with its fixed cluster IP, and the DNS's port for the Endpoints and EndpointSlice the servers write.</summary>
    public static ServerBackedService Definition(IPAddress clusterIP, int port) =>
        new(Service(clusterIP), [new ServerEndpointPort("dns", port, "UDP"), new ServerEndpointPort("dns-tcp", port, "TCP")]);

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
}
