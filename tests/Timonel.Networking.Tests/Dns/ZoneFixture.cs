using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using k8s.Models;
using Timonel.Networking.Dns;
using Timonel.Testing.Informers;

namespace Timonel.Networking.Tests.Dns;

/// <summary>A zone over hand-filled informers, and the objects the tests fill them with.</summary>
internal sealed class ZoneFixture
{
    public TestInformer<V1Service> Services { get; } = new();

    public TestInformer<V1EndpointSlice> Slices { get; } = new();

    public KubernetesZone Zone { get; }

    public ZoneFixture() => Zone = new KubernetesZone(new ServiceDirectory(Services.Informer, Slices.Informer), "cluster.local", () => 42);

    /// <summary>The zone's response to <paramref name="name"/>, or null when it leaves the name to the forwarder.</summary>
    public DnsMessage? Ask(string name, RecordType type)
    {
        var query = new DnsMessage();
        var question = new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet);
        query.Questions.Add(question);
        var response = query.CreateResponseInstance();
        return Zone.TryAnswer(question, response) ? response : null;
    }

    public static V1Service Service(string ns, string name, string clusterIP, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = clusterIP, ClusterIPs = clusterIP == "None" ? null : [clusterIP], Ports = ports, Type = "ClusterIP" },
    };

    public static V1EndpointSlice Slice(string ns, string service, IReadOnlyList<Discoveryv1EndpointPort> ports, params V1Endpoint[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta { Name = service + "-abcde", NamespaceProperty = ns, Labels = new Dictionary<string, string> { [ServiceDirectory.ServiceNameLabel] = service } },
        AddressType = "IPv4",
        Endpoints = endpoints,
        Ports = [.. ports],
    };

    public static V1Endpoint Endpoint(string ip, bool ready = true, string? hostname = null) =>
        new() { Addresses = [ip], Hostname = hostname, Conditions = new V1EndpointConditions { Ready = ready } };
}
