using k8s.Models;

namespace Timonel.Controllers.Tests.Cloud;

/// <summary>Services and Nodes as the cloud controllers' tests need them.</summary>
internal static class CloudTestObjects
{
    public static V1Service ServiceObject(string name = "hello", string type = "LoadBalancer", string? loadBalancerClass = null, string[]? finalizers = null, string? ingressIp = null, string? loadBalancerIp = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns-1", Uid = name + "-uid", Finalizers = finalizers },
        Spec = new V1ServiceSpec
        {
            Type = type,
            LoadBalancerClass = loadBalancerClass,
            LoadBalancerIP = loadBalancerIp,
            Ports = [new V1ServicePort { Port = 8080, Protocol = "TCP", NodePort = type == "ClusterIP" ? null : 31000 }],
        },
        Status = new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus { Ingress = ingressIp is null ? null : [new V1LoadBalancerIngress { Ip = ingressIp, IpMode = "VIP" }] },
        },
    };

    public static V1Node NodeObject(string name, bool ready = true, string internalIp = "10.0.0.1", string? externalIp = null, string? providerId = null, V1Taint[]? taints = null, Dictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name, Uid = name + "-uid", Labels = labels },
        Spec = new V1NodeSpec { ProviderID = providerId, Taints = taints },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = internalIp }, .. externalIp is null ? Array.Empty<V1NodeAddress>() : [new V1NodeAddress { Type = "ExternalIP", Address = externalIp }], new V1NodeAddress { Type = "Hostname", Address = name }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}
