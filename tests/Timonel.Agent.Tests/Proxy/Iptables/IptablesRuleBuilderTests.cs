using Timonel.Agent.Proxy;
using Timonel.Agent.Proxy.Iptables;

namespace Timonel.Agent.Tests.Proxy.Iptables;

public sealed class IptablesRuleBuilderTests
{
    private readonly IptablesRuleBuilder _builder = new("10.42.0.0/16");
    private readonly ProxyServicePort _web = ProxyObjects.Port();

    [Fact]
    public void ThreeEndpoints_EachPickedWithEqualProbability()
    {
        var endpoints = new[] { "10.42.0.5", "10.42.0.6", "10.42.0.7" }.Select(ip => ProxyObjects.Endpoint(ip)).ToList();

        var rules = _builder.Build([new ServicePortEndpoints(_web, endpoints)]);

        Assert.Equal(
        [
            $"! -s 10.42.0.0/16 -d 10.43.0.10/32 -p tcp -m tcp --dport 80 -j {IptablesChains.MarkMasquerade}",
            $"-m statistic --mode random --probability 0.3333333333 -j {IptablesChains.Endpoint(_web, endpoints[0])}",
            $"-m statistic --mode random --probability 0.5000000000 -j {IptablesChains.Endpoint(_web, endpoints[1])}",
            $"-j {IptablesChains.Endpoint(_web, endpoints[2])}",
        ], rules.NatChains[IptablesChains.Service(_web)]);
        Assert.Equal(
            [$"-s 10.42.0.7/32 -j {IptablesChains.MarkMasquerade}", "-p tcp -m tcp -j DNAT --to-destination 10.42.0.7:8080"],
            rules.NatChains[IptablesChains.Endpoint(_web, endpoints[2])]);
    }

    [Fact]
    public void NoEndpoints_ClusterIpAndNodePortRejectedInFilter_NoNatRules()
    {
        var rules = _builder.Build([new ServicePortEndpoints(_web with { NodePort = 30000 }, [])]);

        Assert.Empty(rules.NatChains);
        Assert.Empty(rules.NatServices);
        Assert.Collection(
            rules.FilterServices,
            r => Assert.Equal("-A TIMONEL-SERVICES -d 10.43.0.10/32 -p tcp -m tcp --dport 80 -m comment --comment \"default/web: has no endpoints\" -j REJECT", r),
            r => Assert.EndsWith("-m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30000 -m comment --comment \"default/web: has no endpoints\" -j REJECT", r, StringComparison.Ordinal));
    }

    [Fact]
    public void LocalExternalPolicyWithoutLocalEndpoints_NodePortDropped()
    {
        var port = _web with { NodePort = 30000, ExternalPolicyLocal = true };

        var rules = _builder.Build([new ServicePortEndpoints(port, [ProxyObjects.Endpoint("10.42.0.5", local: false)])]);

        Assert.Contains(rules.FilterServices, r => r.Contains("--dport 30000", StringComparison.Ordinal) && r.EndsWith("-j DROP", StringComparison.Ordinal));
        Assert.Contains(rules.NatNodePorts, r => r.EndsWith($"-j {IptablesChains.External(port)}", StringComparison.Ordinal));
    }

    [Fact]
    public void ChainNames_FitIptablesLimit()
    {
        var port = _web with { Namespace = new string('n', 63), Name = new string('s', 63) };

        Assert.All(
            new[] { IptablesChains.Service(port), IptablesChains.Local(port), IptablesChains.External(port), IptablesChains.LoadBalancerFirewall(port), IptablesChains.Endpoint(port, ProxyObjects.Endpoint("10.42.0.5")) },
            name => Assert.InRange(name.Length, 1, 28));
    }
}
