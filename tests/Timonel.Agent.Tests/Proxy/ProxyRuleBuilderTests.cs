using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

public sealed class ProxyRuleBuilderTests
{
    [Fact]
    public void Build_ClusterIpWithThreeReadyEndpoints_DispatchesToAChainPickingOneAtRandom()
    {
        var port = ProxyObjects.Port();
        var endpoints = new[] { ProxyObjects.Endpoint("10.42.0.5"), ProxyObjects.Endpoint("10.42.0.6"), ProxyObjects.Endpoint("10.42.0.7") };

        var rules = ProxyObjects.Rules((port, endpoints));

        var serviceChain = ProxyChainNames.Cluster(port);
        Assert.Equal($"goto {serviceChain}", rules.Maps[ProxyTable.ServiceIpsMap]["10.43.0.10 . tcp . 80"]);
        Assert.Empty(rules.Maps[ProxyTable.NoEndpointServicesMap]);
        var chain = rules.Chains[serviceChain];
        Assert.Equal("ip daddr 10.43.0.10 tcp dport 80 ip saddr != 10.42.0.0/16 jump mark-for-masquerade", chain[0]);
        Assert.StartsWith("numgen random mod 3 vmap { 0 : goto endpoint-", chain[1], StringComparison.Ordinal);
        foreach (var endpoint in endpoints)
        {
            Assert.Contains($"goto {ProxyChainNames.Endpoint(port, endpoint)}", chain[1], StringComparison.Ordinal);
            Assert.Equal(
                [$"ip saddr {endpoint.Ip} jump mark-for-masquerade", $"meta l4proto tcp dnat to {endpoint.Ip}:8080"],
                rules.Chains[ProxyChainNames.Endpoint(port, endpoint)]);
        }
    }

    [Fact]
    public void Build_NoEndpoints_RejectedAndNoChains()
    {
        var rules = ProxyObjects.Rules((ProxyObjects.Port(), []));

        Assert.Equal("goto reject-chain", rules.Maps[ProxyTable.NoEndpointServicesMap]["10.43.0.10 . tcp . 80"]);
        Assert.Empty(rules.Maps[ProxyTable.ServiceIpsMap]);
        Assert.Empty(rules.Chains);
    }

    [Fact]
    public void Build_OnlyUnreadyEndpoints_Rejected()
    {
        var rules = ProxyObjects.Rules((ProxyObjects.Port(), [ProxyObjects.Endpoint("10.42.0.5", ready: false)]));

        Assert.Equal("goto reject-chain", rules.Maps[ProxyTable.NoEndpointServicesMap]["10.43.0.10 . tcp . 80"]);
    }

    [Fact]
    public void Build_TerminatingButServingEndpointsWhenNoneIsReady_StillServe()
    {
        var draining = new ProxyEndpoint("10.42.0.5", 8080, Ready: false, Serving: true, Terminating: true, IsLocal: true);

        var rules = ProxyObjects.Rules((ProxyObjects.Port(), [draining, ProxyObjects.Endpoint("10.42.0.6", ready: false)]));

        Assert.Contains("numgen random mod 1 vmap", rules.Chains[ProxyChainNames.Cluster(ProxyObjects.Port())][1], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NodePort_DispatchedThroughTheExternalChainThatMasquerades()
    {
        var port = ProxyObjects.Port() with { NodePort = 30000 };

        var rules = ProxyObjects.Rules((port, [ProxyObjects.Endpoint("10.42.0.5")]));

        Assert.Equal($"goto {ProxyChainNames.External(port)}", rules.Maps[ProxyTable.ServiceNodePortsMap]["tcp . 30000"]);
        Assert.Equal(["jump mark-for-masquerade", $"goto {ProxyChainNames.Cluster(port)}"], rules.Chains[ProxyChainNames.External(port)]);
    }

    [Fact]
    public void Build_NodePortWithoutEndpoints_Rejected()
    {
        var rules = ProxyObjects.Rules((ProxyObjects.Port() with { NodePort = 30000 }, []));

        Assert.Equal("goto reject-chain", rules.Maps[ProxyTable.NoEndpointNodePortsMap]["tcp . 30000"]);
        Assert.Empty(rules.Maps[ProxyTable.ServiceNodePortsMap]);
    }

    [Fact]
    public void Build_ExternalTrafficPolicyLocal_ExternalTrafficToLocalEndpointsOnlyAndPodsShortCircuited()
    {
        var port = ProxyObjects.Port() with { NodePort = 30000, ExternalPolicyLocal = true };
        var here = ProxyObjects.Endpoint("10.42.0.5");
        var there = ProxyObjects.Endpoint("10.42.1.5", local: false);

        var rules = ProxyObjects.Rules((port, [here, there]));

        Assert.Equal(
            [$"ip saddr 10.42.0.0/16 goto {ProxyChainNames.Cluster(port)}", "fib saddr type local jump mark-for-masquerade", $"fib saddr type local goto {ProxyChainNames.Cluster(port)}", $"goto {ProxyChainNames.Local(port)}"],
            rules.Chains[ProxyChainNames.External(port)]);
        Assert.Equal([$"numgen random mod 1 vmap {{ 0 : goto {ProxyChainNames.Endpoint(port, here)} }}"], rules.Chains[ProxyChainNames.Local(port)]);
        Assert.Contains("mod 2", rules.Chains[ProxyChainNames.Cluster(port)][1], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ExternalTrafficPolicyLocalWithoutLocalEndpoints_ExternalTrafficDropped()
    {
        var port = ProxyObjects.Port() with { NodePort = 30000, ExternalPolicyLocal = true };

        var rules = ProxyObjects.Rules((port, [ProxyObjects.Endpoint("10.42.1.5", local: false)]));

        Assert.Equal("drop", rules.Maps[ProxyTable.NoEndpointNodePortsMap]["tcp . 30000"]);
        Assert.DoesNotContain(rules.Chains[ProxyChainNames.External(port)], r => r.StartsWith("goto local-", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_InternalTrafficPolicyLocalWithoutLocalEndpoints_ClusterIpDropped()
    {
        var port = ProxyObjects.Port() with { InternalPolicyLocal = true };

        var rules = ProxyObjects.Rules((port, [ProxyObjects.Endpoint("10.42.1.5", local: false)]));

        Assert.Equal("drop", rules.Maps[ProxyTable.NoEndpointServicesMap]["10.43.0.10 . tcp . 80"]);
        Assert.Empty(rules.Chains);
    }

    [Fact]
    public void Build_ClientIpAffinity_SetPerEndpointWithTheTimeoutCheckedBeforeTheRandomPick()
    {
        var port = ProxyObjects.Port() with { AffinityTimeoutSeconds = 60 };
        var endpoint = ProxyObjects.Endpoint("10.42.0.5");

        var rules = ProxyObjects.Rules((port, [endpoint]));

        var set = ProxyChainNames.Affinity(port, endpoint);
        Assert.Equal(60, rules.AffinitySets[set]);
        Assert.Equal($"ip saddr @{set} goto {ProxyChainNames.Endpoint(port, endpoint)}", rules.Chains[ProxyChainNames.Cluster(port)][1]);
        Assert.Contains($"update @{set} {{ ip saddr }}", rules.Chains[ProxyChainNames.Endpoint(port, endpoint)]);
    }

    [Fact]
    public void Build_ExternalAndLoadBalancerIps_CapturedLikeTheNodePortWithSourceRangesFirewalled()
    {
        var port = ProxyObjects.Port() with { ExternalIps = ["192.0.2.1"], LoadBalancerIps = ["192.0.2.2"], LoadBalancerSourceRanges = ["198.51.100.0/24"] };

        var rules = ProxyObjects.Rules((port, [ProxyObjects.Endpoint("10.42.0.5")]));

        Assert.Equal($"goto {ProxyChainNames.External(port)}", rules.Maps[ProxyTable.ServiceIpsMap]["192.0.2.1 . tcp . 80"]);
        Assert.Equal($"goto {ProxyChainNames.External(port)}", rules.Maps[ProxyTable.ServiceIpsMap]["192.0.2.2 . tcp . 80"]);
        Assert.Equal($"goto {ProxyChainNames.Firewall(port)}", rules.Maps[ProxyTable.FirewallIpsMap]["192.0.2.2 . tcp . 80"]);
        Assert.Equal(["ip saddr != { 198.51.100.0/24, 192.0.2.2 } drop"], rules.Chains[ProxyChainNames.Firewall(port)]);
    }

    [Fact]
    public void ChainNames_UpstreamsShape()
    {
        var port = ProxyObjects.Port();

        Assert.Matches("^service-[A-Z2-7]{8}-default/web/tcp/$", ProxyChainNames.Cluster(port));
        Assert.Matches("^endpoint-[A-Z2-7]{8}-default/web/tcp/__10.42.0.5/8080$", ProxyChainNames.Endpoint(port, ProxyObjects.Endpoint("10.42.0.5")));
    }
}
