using Timonel.Agent.Tests.NodeAgent;

namespace Timonel.Agent.Tests.Simulated;

public sealed class NodeLifecycleTests
{
    [Fact]
    public async Task Start_EveryNode_RegisteredWithItsLease()
    {
        using var harness = await AgentHarness.StartAsync(3);

        Assert.True(harness.Agent.AllRegistered.IsCompletedSuccessfully);
        Assert.Equal(["sim-0", "sim-1", "sim-2"], harness.Api.Nodes.Keys.Order());
        var lease = harness.Api.Leases["sim-1"];
        Assert.Equal("kube-node-lease", lease.Metadata.NamespaceProperty);
        Assert.Equal("sim-1", lease.Spec.HolderIdentity);
        Assert.Equal(40, lease.Spec.LeaseDurationSeconds);
        Assert.Equal(harness.Api.Nodes["sim-1"].Metadata.Uid, Assert.Single(lease.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task Leases_FourNodes_EachRenewedEvery10SecondsAtItsOwnQuarter()
    {
        using var harness = await AgentHarness.StartAsync(4);
        harness.Api.LeaseRenewals.Clear();

        await harness.AdvanceAsync(TimeSpan.FromSeconds(20));

        foreach (var node in new[] { "sim-0", "sim-1", "sim-2", "sim-3" })
        {
            var times = harness.Api.LeaseRenewals.Where(r => r.Node == node).Select(r => r.At).ToList();
            Assert.Equal(2, times.Count);
            Assert.Equal(TimeSpan.FromSeconds(10), times[1] - times[0]);
        }

        // The four renew at 0, 2.5, 5 and 7.5 s into each interval: spread, not all at once.
        var phases = harness.Api.LeaseRenewals.Take(4).Select(r => (r.At - harness.Start).TotalSeconds % 10).Order().ToList();
        Assert.Equal([0, 2.5, 5, 7.5], phases);
    }

    [Fact]
    public async Task Leases_UpdatesFail_RenewalResumesAfterwards()
    {
        using var harness = await AgentHarness.StartAsync(1);
        harness.Api.FailLeaseUpdates = true;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(25));
        harness.Api.LeaseRenewals.Clear();
        harness.Api.FailLeaseUpdates = false;

        await harness.AdvanceAsync(TimeSpan.FromSeconds(20));

        Assert.NotEmpty(harness.Api.LeaseRenewals);
    }

    [Fact]
    public async Task NodeStatus_WithLeases_ReportedEveryFiveMinutesWithAFreshHeartbeat()
    {
        using var harness = await AgentHarness.StartAsync(1);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(4));
        Assert.Empty(harness.Api.NodeStatusReports);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(7));

        Assert.Equal(2, harness.Api.NodeStatusReports.Count);
        var ready = harness.Api.Nodes["sim-0"].Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(harness.Api.NodeStatusReports[^1].At.UtcDateTime, ready.LastHeartbeatTime);
        Assert.Equal(harness.Start.UtcDateTime, ready.LastTransitionTime);
    }
}
