using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Proxy;
using Timonel.Agent.Proxy.Iptables;

namespace Timonel.Agent.Tests.Integration;

/// <summary>The iptables backend's rules applied for real with iptables-nft, in network namespaces of the test's own (root only).</summary>
[Trait("Category", "Integration")]
public sealed class IptablesProxyNetnsTests(ProxyNetnsLab lab) : IClassFixture<ProxyNetnsLab>
{
    [SkippableFact]
    public async Task ClusterIp_RequestsFromTheNode_ReachEveryReadyEndpoint()
    {
        SkipUnlessIptables();
        await SyncAsync(Backend(), (ProxyNetnsLab.Web, [ProxyNetnsLab.PodEndpoint(1), ProxyNetnsLab.PodEndpoint(2)]));

        var answers = await lab.GetManyFromNodeAsync($"http://{ProxyNetnsLab.ClusterIp}/", 30);

        Assert.Equal(["pod-1", "pod-2"], answers.Distinct().Order());
    }

    [SkippableFact]
    public async Task ClusterIp_APodReachingItselfThroughTheService_Answered()
    {
        SkipUnlessIptables();
        await SyncAsync(Backend(), (ProxyNetnsLab.Web, [ProxyNetnsLab.PodEndpoint(1)]));

        var (ok, text) = await lab.GetFromPodAsync(1, $"http://{ProxyNetnsLab.ClusterIp}/");

        Assert.True(ok, text);
        Assert.Equal("pod-1", text);
    }

    [SkippableFact]
    public async Task NodePort_AnsweredOnTheNodesAddressAndOnLoopback()
    {
        SkipUnlessIptables();
        await SyncAsync(Backend(), (ProxyNetnsLab.Web with { NodePort = 30000 }, [ProxyNetnsLab.PodEndpoint(2)]));

        var onAddress = await lab.GetFromNodeAsync($"http://{ProxyNetnsLab.NodeAddress}:30000/");
        var onLoopback = await lab.GetFromNodeAsync("http://127.0.0.1:30000/");
        var fromPod = await lab.GetFromPodAsync(1, $"http://{ProxyNetnsLab.NodeAddress}:30000/");

        Assert.Equal((true, "pod-2"), onAddress);
        Assert.Equal((true, "pod-2"), onLoopback);
        Assert.Equal((true, "pod-2"), fromPod);
    }

    [SkippableFact]
    public async Task ServiceWithoutEndpoints_ConnectionRefusedAtOnce()
    {
        SkipUnlessIptables();
        await SyncAsync(Backend(), (ProxyNetnsLab.Web with { NodePort = 30001 }, []));

        var (ok, text) = await lab.GetFromNodeAsync($"http://{ProxyNetnsLab.ClusterIp}/");
        var (nodePortOk, nodePortText) = await lab.GetFromNodeAsync($"http://{ProxyNetnsLab.NodeAddress}:30001/");

        // curl's 7 is "couldn't connect" (the reject's ICMP error); a dropped packet would time out instead (28).
        Assert.False(ok);
        Assert.StartsWith("curl: (7)", text, StringComparison.Ordinal);
        Assert.False(nodePortOk);
        Assert.StartsWith("curl: (7)", nodePortText, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task EndpointGone_PartialSyncTakesItOutOfRotation()
    {
        SkipUnlessIptables();
        var backend = Backend();
        await SyncAsync(backend, (ProxyNetnsLab.Web, [ProxyNetnsLab.PodEndpoint(1), ProxyNetnsLab.PodEndpoint(2)]));

        await SyncAsync(backend, (ProxyNetnsLab.Web, [ProxyNetnsLab.PodEndpoint(2)]));
        var answers = await lab.GetManyFromNodeAsync($"http://{ProxyNetnsLab.ClusterIp}/", 15);

        Assert.All(answers, a => Assert.Equal("pod-2", a));
        Assert.DoesNotContain(IptablesChains.Endpoint(ProxyNetnsLab.Web, ProxyNetnsLab.PodEndpoint(1)), await lab.IptablesSaveAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ClientIpAffinity_EveryRequestOfOneClientToTheSamePod()
    {
        SkipUnlessIptables();
        await SyncAsync(Backend(), (ProxyNetnsLab.Web with { AffinityTimeoutSeconds = 60 }, [ProxyNetnsLab.PodEndpoint(1), ProxyNetnsLab.PodEndpoint(2)]));

        var answers = await lab.GetManyFromNodeAsync($"http://{ProxyNetnsLab.ClusterIp}/", 15);

        Assert.Single(answers.Distinct());
    }

    [SkippableFact]
    public async Task Cleanup_LeavesNoTimonelChainOrJump_AndNoNftablesTable()
    {
        SkipUnlessIptables();
        await SyncAsync(Backend(), (ProxyNetnsLab.Web with { NodePort = 30002 }, [ProxyNetnsLab.PodEndpoint(1)]));

        Assert.True(await IptablesCleanup.RunAsync(lab.Iptables, default));

        Assert.DoesNotContain("TIMONEL", await lab.IptablesSaveAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("table ip timonel", await lab.RulesetAsync(), StringComparison.Ordinal);
        Assert.False(await IptablesCleanup.RunAsync(lab.Iptables, default));
    }

    private void SkipUnlessIptables()
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        Skip.IfNot(IptablesCommand.Available(), "iptables-nft is not installed");
    }

    private IptablesBackend Backend() => new(lab.Iptables, "10.42.0.0/16", NullLogger.Instance);

    private static Task SyncAsync(IptablesBackend backend, params (ProxyServicePort Port, ProxyEndpoint[] Endpoints)[] services) =>
        backend.SyncAsync(
            new Dictionary<string, IReadOnlyList<ServicePortEndpoints>> { ["default/web"] = [.. services.Select(s => new ServicePortEndpoints(s.Port, s.Endpoints))] },
            default);
}
