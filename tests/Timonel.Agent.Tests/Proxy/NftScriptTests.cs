using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

public sealed class NftScriptTests
{
    private static readonly ProxyServicePort _web = ProxyObjects.Port();
    private static readonly ProxyServicePort _api = ProxyObjects.Port("api", "10.43.0.11", 443);

    [Fact]
    public void Full_FirstSync_DeletesTheTableThenWritesEverything()
    {
        var rules = ProxyObjects.Rules((_web, [ProxyObjects.Endpoint("10.42.0.5")]));

        var script = NftScript.Full(null, rules, out var stale);

        var lines = script.Split('\n');
        Assert.Equal("add table ip timonel", lines[0]);
        Assert.Equal("delete table ip timonel", lines[1]);
        Assert.Contains("add chain ip timonel nat-prerouting { type nat hook prerouting priority -100 ; }", lines);
        Assert.Contains($"add chain ip timonel {ProxyChainNames.Cluster(_web)}", lines);
        Assert.Contains($"add element ip timonel service-ips {{ 10.43.0.10 . tcp . 80 : goto {ProxyChainNames.Cluster(_web)} }}", lines);
        Assert.Empty(stale);
    }

    [Fact]
    public void Partial_NothingChanged_Empty()
    {
        var rules = ProxyObjects.Rules((_web, [ProxyObjects.Endpoint("10.42.0.5")]));

        Assert.Equal("", NftScript.Partial(rules, ProxyObjects.Rules((_web, [ProxyObjects.Endpoint("10.42.0.5")])), [], out var stale));
        Assert.Empty(stale);
    }

    [Fact]
    public void Partial_OneEndpointAdded_OnlyItsChainAddedAndItsServiceChainRewritten()
    {
        var before = ProxyObjects.Rules((_web, [ProxyObjects.Endpoint("10.42.0.5")]), (_api, [ProxyObjects.Endpoint("10.42.0.9", 6443)]));
        var added = ProxyObjects.Endpoint("10.42.0.6");
        var after = ProxyObjects.Rules((_web, [ProxyObjects.Endpoint("10.42.0.5"), added]), (_api, [ProxyObjects.Endpoint("10.42.0.9", 6443)]));

        var script = NftScript.Partial(before, after, [], out var stale);

        var lines = script.TrimEnd('\n').Split('\n');
        var serviceChain = ProxyChainNames.Cluster(_web);
        var endpointChain = ProxyChainNames.Endpoint(_web, added);
        Assert.Equal(
            [
                $"add chain ip timonel {endpointChain}",
                $"flush chain ip timonel {serviceChain}",
                $"add rule ip timonel {endpointChain} ip saddr 10.42.0.6 jump mark-for-masquerade",
                $"add rule ip timonel {endpointChain} meta l4proto tcp dnat to 10.42.0.6:8080",
                .. after.Chains[serviceChain].Select(r => $"add rule ip timonel {serviceChain} {r}"),
            ],
            lines);
        Assert.DoesNotContain(lines, l => l.Contains("api", StringComparison.Ordinal) || l.Contains("element", StringComparison.Ordinal) || l.Contains("table", StringComparison.Ordinal));
        Assert.Empty(stale);
    }

    [Fact]
    public void Partial_LastEndpointGone_ElementMovedToRejectAndChainsFlushedAsStale()
    {
        var endpoint = ProxyObjects.Endpoint("10.42.0.5");
        var before = ProxyObjects.Rules((_web, [endpoint]));
        var after = ProxyObjects.Rules((_web, []));

        var script = NftScript.Partial(before, after, [], out var stale);

        var lines = script.TrimEnd('\n').Split('\n');
        Assert.Contains("delete element ip timonel service-ips { 10.43.0.10 . tcp . 80 }", lines);
        Assert.Contains("add element ip timonel no-endpoint-services { 10.43.0.10 . tcp . 80 : goto reject-chain }", lines);
        Assert.Contains($"flush chain ip timonel {ProxyChainNames.Cluster(_web)}", lines);
        Assert.Contains($"flush chain ip timonel {ProxyChainNames.Endpoint(_web, endpoint)}", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("delete chain", StringComparison.Ordinal));
        Assert.Equal([ProxyChainNames.Cluster(_web), ProxyChainNames.Endpoint(_web, endpoint)], stale.OrderByDescending(c => c, StringComparer.Ordinal));
    }

    [Fact]
    public void Partial_StaleChainsGiven_Deleted()
    {
        var rules = ProxyObjects.Rules((_web, []));

        var script = NftScript.Partial(rules, rules, ["endpoint-X-default/old/tcp/__10.42.0.1/80"], out _);

        Assert.Equal("delete chain ip timonel endpoint-X-default/old/tcp/__10.42.0.1/80\n", script);
    }

    [Fact]
    public void Partial_AffinitySetNoLongerWanted_DeletedAfterItsRulesAreFlushed()
    {
        var endpoint = ProxyObjects.Endpoint("10.42.0.5");
        var sticky = _web with { AffinityTimeoutSeconds = 30 };
        var before = ProxyObjects.Rules((sticky, [endpoint]));
        var after = ProxyObjects.Rules((_web, [endpoint]));

        var lines = NftScript.Partial(before, after, [], out _).TrimEnd('\n').Split('\n').ToList();

        var deleteSet = lines.IndexOf($"delete set ip timonel {ProxyChainNames.Affinity(sticky, endpoint)}");
        Assert.True(deleteSet > lines.IndexOf($"flush chain ip timonel {ProxyChainNames.Endpoint(sticky, endpoint)}"));
        Assert.True(deleteSet > lines.IndexOf($"flush chain ip timonel {ProxyChainNames.Cluster(sticky)}"));
    }
}
