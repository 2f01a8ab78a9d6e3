using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

public sealed class ServiceRulesCacheTests
{
    private readonly Dictionary<string, List<ProxyEndpoint>> _endpoints = new()
    {
        ["default/web"] = [ProxyObjects.Endpoint("10.42.0.5")],
        ["default/api"] = [ProxyObjects.Endpoint("10.42.0.7")],
    };

    private readonly List<string> _built = [];
    private readonly ServiceRulesCache _cache;

    public ServiceRulesCacheTests()
    {
        _cache = new ServiceRulesCache(Build);
        _cache.MarkChanged("default/web");
        _cache.MarkChanged("default/api");
    }

    [Fact]
    public void Desired_OnlyTheChangedServiceRebuilt_OthersReusedAsTheyWere()
    {
        var first = _cache.Desired();
        _built.Clear();
        _endpoints["default/web"].Add(ProxyObjects.Endpoint("10.42.0.6"));

        _cache.MarkChanged("default/web");
        var second = _cache.Desired();

        Assert.Equal(["default/web"], _built);
        Assert.Equal(first.Chains.Count + 1, second.Chains.Count);
        var apiChain = ProxyChainNames.Cluster(ProxyObjects.Port("api", "10.43.0.11"));
        Assert.Same(first.Chains[apiChain], second.Chains[apiChain]);
    }

    [Fact]
    public void Desired_NothingChanged_NothingRebuiltAndTheSameRules()
    {
        var first = _cache.Desired();
        _built.Clear();

        var second = _cache.Desired();

        Assert.Empty(_built);
        Assert.Equal("", NftScript.Partial(first, second, [], out _));
    }

    [Fact]
    public void Desired_ServiceGone_ItsRulesLeaveTheTable()
    {
        _cache.Desired();
        _endpoints.Remove("default/api");

        _cache.MarkChanged("default/api");
        var desired = _cache.Desired();

        Assert.Equal(1, _cache.Count);
        Assert.DoesNotContain(ProxyChainNames.Cluster(ProxyObjects.Port("api", "10.43.0.11")), desired.Chains.Keys);
        Assert.Single(desired.Maps[ProxyTable.ServiceIpsMap]);
    }

    private NftRuleset? Build(string key)
    {
        _built.Add(key);
        if (!_endpoints.TryGetValue(key, out var endpoints))
        {
            return null;
        }

        var port = key == "default/web" ? ProxyObjects.Port() : ProxyObjects.Port("api", "10.43.0.11");
        return ProxyObjects.Rules((port, [.. endpoints]));
    }
}
