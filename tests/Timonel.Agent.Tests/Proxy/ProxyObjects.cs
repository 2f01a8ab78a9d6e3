using k8s.Models;
using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

/// <summary>Services, slices and service ports for the proxy's tests.</summary>
internal static class ProxyObjects
{
    public static V1Service Service(string name, string clusterIp, int port = 80, string ns = "default", string? type = null, int? nodePort = null, string? portName = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            Type = type ?? (nodePort is null ? "ClusterIP" : "NodePort"),
            ClusterIP = clusterIp,
            ClusterIPs = clusterIp == "None" ? ["None"] : [clusterIp],
            Ports = [new V1ServicePort { Name = portName, Port = port, Protocol = "TCP", NodePort = nodePort }],
        },
    };

    public static V1EndpointSlice Slice(string service, int port, params (string Ip, bool Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta { Name = service + "-abc", NamespaceProperty = "default", Labels = new Dictionary<string, string> { [ProxyLabels.ServiceName] = service } },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "", Port = port, Protocol = "TCP" }],
        Endpoints = [.. endpoints.Select(e => new V1Endpoint { Addresses = [e.Ip], Conditions = new V1EndpointConditions { Ready = e.Ready }, NodeName = "node-1" })],
    };

    public static ProxyServicePort Port(string name = "web", string clusterIp = "10.43.0.10", int port = 80) => new()
    {
        Namespace = "default",
        Name = name,
        PortName = "",
        Protocol = "tcp",
        ClusterIp = clusterIp,
        Port = port,
    };

    public static ProxyEndpoint Endpoint(string ip, int port = 8080, bool ready = true, bool local = true) =>
        new(ip, port, ready, ready, Terminating: false, IsLocal: local);

    public static NftRuleset Rules(params (ProxyServicePort Port, ProxyEndpoint[] Endpoints)[] services) =>
        new ProxyRuleBuilder("10.42.0.0/16").Build(services.Select(s => (s.Port, (IReadOnlyList<ProxyEndpoint>)s.Endpoints)));
}
