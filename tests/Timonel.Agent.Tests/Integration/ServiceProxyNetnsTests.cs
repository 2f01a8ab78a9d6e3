using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Integration;

/// <summary>The proxy's rules applied for real, in network namespaces of the test's own, with busybox httpd as pods (root only).</summary>
[Trait("Category", "Integration")]
public sealed class ServiceProxyNetnsTests(ProxyNetnsLab lab) : IClassFixture<ProxyNetnsLab>
{
    private const string ClusterIp = ProxyNetnsLab.ClusterIp;
    private static readonly ProxyServicePort _web = ProxyNetnsLab.Web;

    [SkippableFact]
    public async Task ClusterIp_RequestsFromTheNode_ReachEveryReadyEndpoint()
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        await SyncAsync(new ProxyRulesWriter(lab.Nft, TimeProvider.System, NullLogger.Instance), (_web, [ProxyNetnsLab.PodEndpoint(1), ProxyNetnsLab.PodEndpoint(2)]));

        var answers = await lab.GetManyFromNodeAsync($"http://{ClusterIp}/", 30);

        Assert.Equal(["pod-1", "pod-2"], answers.Distinct().Order());
    }

    [SkippableFact]
    public async Task ClusterIp_APodReachingItselfThroughTheService_Answered()
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        await SyncAsync(new ProxyRulesWriter(lab.Nft, TimeProvider.System, NullLogger.Instance), (_web, [ProxyNetnsLab.PodEndpoint(1)]));

        var (ok, text) = await lab.GetFromPodAsync(1, $"http://{ClusterIp}/");

        Assert.True(ok, text);
        Assert.Equal("pod-1", text);
    }

    [SkippableFact]
    public async Task ServiceWithoutEndpoints_ConnectionRefusedAtOnce()
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        await SyncAsync(new ProxyRulesWriter(lab.Nft, TimeProvider.System, NullLogger.Instance), (_web, []));

        var (ok, text) = await lab.GetFromNodeAsync($"http://{ClusterIp}/");

        // curl's 7 is "couldn't connect" (the reject's ICMP error); a dropped packet would time out instead (28).
        Assert.False(ok);
        Assert.StartsWith("curl: (7)", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task NodePort_AnsweredOnTheNodesAddressAndOnLoopback()
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        await SyncAsync(new ProxyRulesWriter(lab.Nft, TimeProvider.System, NullLogger.Instance), (_web with { NodePort = 30000 }, [ProxyNetnsLab.PodEndpoint(2)]));

        var onAddress = await lab.GetFromNodeAsync($"http://{ProxyNetnsLab.NodeAddress}:30000/");
        var onLoopback = await lab.GetFromNodeAsync("http://127.0.0.1:30000/");
        var fromPod = await lab.GetFromPodAsync(1, $"http://{ProxyNetnsLab.NodeAddress}:30000/");

        Assert.Equal((true, "pod-2"), onAddress);
        Assert.Equal((true, "pod-2"), onLoopback);
        Assert.Equal((true, "pod-2"), fromPod);
    }

    [SkippableFact]
    public async Task EndpointGone_PartialSyncTakesItOutOfRotation()
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        var writer = new ProxyRulesWriter(lab.Nft, TimeProvider.System, NullLogger.Instance);
        await SyncAsync(writer, (_web, [ProxyNetnsLab.PodEndpoint(1), ProxyNetnsLab.PodEndpoint(2)]));

        await SyncAsync(writer, (_web, [ProxyNetnsLab.PodEndpoint(2)]));
        var answers = await lab.GetManyFromNodeAsync($"http://{ClusterIp}/", 15);

        Assert.All(answers, a => Assert.Equal("pod-2", a));
    }

    [SkippableFact]
    public async Task ClientIpAffinity_EveryRequestOfOneClientToTheSamePod()
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        await SyncAsync(new ProxyRulesWriter(lab.Nft, TimeProvider.System, NullLogger.Instance), (_web with { AffinityTimeoutSeconds = 60 }, [ProxyNetnsLab.PodEndpoint(1), ProxyNetnsLab.PodEndpoint(2)]));

        var answers = await lab.GetManyFromNodeAsync($"http://{ClusterIp}/", 15);

        Assert.Single(answers.Distinct());
    }

    [SkippableFact]
    public async Task Cleanup_LeavesNoTimonelTable()
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        await SyncAsync(new ProxyRulesWriter(lab.Nft, TimeProvider.System, NullLogger.Instance), (_web, [ProxyNetnsLab.PodEndpoint(1)]));

        Assert.True(await ProxyCleanup.RunAsync(lab.Nft, default));

        Assert.DoesNotContain("timonel", await lab.RulesetAsync(), StringComparison.Ordinal);
        Assert.False(await ProxyCleanup.RunAsync(lab.Nft, default));
    }

    private static Task SyncAsync(ProxyRulesWriter writer, params (ProxyServicePort Port, ProxyEndpoint[] Endpoints)[] services) =>
        writer.SyncAsync(new ProxyRuleBuilder("10.42.0.0/16").Build(services.Select(s => (s.Port, (IReadOnlyList<ProxyEndpoint>)s.Endpoints))), default);
}
