using k8s.Models;
using Timonel.Agent.Kubelet.Containers.Sandbox;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Tests.Kubelet.Containers.Sandbox;

public sealed class PodDnsTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();
    private readonly PodDns _dns;

    public PodDnsTests()
    {
        var resolvConf = Path.Combine(_root.Path, "resolv.conf");
        File.WriteAllText(resolvConf, "# the node's resolver\nnameserver 192.168.1.1\nnameserver 192.168.1.2\nsearch old.example\nsearch example.com.\noptions edns0 ndots:1\n");
        _dns = new PodDns(new SandboxConfigOptions { ResolvConf = resolvConf });
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void For_ClusterFirst_ClusterDnsNamespaceSearchesFirst()
    {
        var config = _dns.For(Pod("ClusterFirst"));

        Assert.Equal(["10.43.0.10"], config.Servers);
        Assert.Equal(["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "example.com"], config.Searches);
        Assert.Equal(["ndots:5"], config.Options);
    }

    [Fact]
    public void For_UnsetPolicy_ClusterFirst()
    {
        Assert.Equal(["10.43.0.10"], _dns.For(Pod(null)).Servers);
    }

    [Fact]
    public void For_Default_NodeResolver()
    {
        var config = _dns.For(Pod("Default"));

        Assert.Equal(["192.168.1.1", "192.168.1.2"], config.Servers);
        Assert.Equal(["example.com"], config.Searches);
        Assert.Equal(["edns0", "ndots:1"], config.Options);
    }

    [Fact]
    public void For_ClusterFirstOnHostNetwork_NodeResolverUnlessWithHostNet()
    {
        var pod = Pod("ClusterFirst");
        pod.Spec.HostNetwork = true;
        Assert.Equal(["192.168.1.1", "192.168.1.2"], _dns.For(pod).Servers);

        pod.Spec.DnsPolicy = "ClusterFirstWithHostNet";
        Assert.Equal(["10.43.0.10"], _dns.For(pod).Servers);
    }

    [Fact]
    public void For_None_OnlyDnsConfig()
    {
        var pod = Pod("None");
        pod.Spec.DnsConfig = new V1PodDNSConfig
        {
            Nameservers = ["1.1.1.1"],
            Searches = ["corp.example"],
            Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "2" }, new V1PodDNSConfigOption { Name = "rotate" }],
        };

        var config = _dns.For(pod);

        Assert.Equal(new DNSConfig { Servers = { "1.1.1.1" }, Searches = { "corp.example" }, Options = { "ndots:2", "rotate" } }, config);
    }

    [Fact]
    public void For_DnsConfig_MergedOverPolicy()
    {
        var pod = Pod("ClusterFirst");
        pod.Spec.DnsConfig = new V1PodDNSConfig
        {
            Nameservers = ["10.43.0.10", "1.1.1.1"],
            Searches = ["cluster.local", "corp.example"],
            Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "2" }, new V1PodDNSConfigOption { Name = "edns0" }],
        };

        var config = _dns.For(pod);

        Assert.Equal(["10.43.0.10", "1.1.1.1"], config.Servers);
        Assert.Equal(["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "example.com", "corp.example"], config.Searches);
        Assert.Equal(["ndots:2", "edns0"], config.Options);
    }

    [Fact]
    public void For_FourNameservers_ThreeKept()
    {
        var pod = Pod("None");
        pod.Spec.DnsConfig = new V1PodDNSConfig { Nameservers = ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"] };

        Assert.Equal(3, _dns.For(pod).Servers.Count);
    }

    private static V1Pod Pod(string? dnsPolicy)
    {
        var pod = ConfigTestPods.Pod();
        pod.Spec.DnsPolicy = dnsPolicy;
        return pod;
    }
}
