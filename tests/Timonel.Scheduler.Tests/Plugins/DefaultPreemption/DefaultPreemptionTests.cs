using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.DefaultPreemption;

public sealed class DefaultPreemptionTests
{
    [Fact]
    public void PostFilter_MixedRejections_ReportsUpstreamsPreemptionMessage()
    {
        var cache = new SchedulerCache(TimeProvider.System, TimeSpan.FromMinutes(15));
        foreach (var name in new[] { "a", "b", "c" })
        {
            cache.AddNode(Make.Node(name));
        }

        var snapshot = new Snapshot();
        cache.UpdateSnapshot(snapshot);
        var statuses = new NodeToStatus();
        statuses.Set("a", Status.UnschedulableAndUnresolvable("node(s) had untolerated taint {x: }"));
        statuses.Set("b", Status.Unschedulable("Insufficient cpu"));
        statuses.Set("c", Status.Unschedulable("Insufficient cpu"));

        var (_, status) = new global::Timonel.Scheduler.Plugins.DefaultPreemption.DefaultPreemption(snapshot).PostFilter(new CycleState(), new PodInfo(Make.Pod("p")), statuses);

        Assert.Equal(Code.Unschedulable, status.Code);
        Assert.Equal("preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.", status.Message);
    }

    [Fact]
    public void PostFilter_PreemptionPolicyNever_NotEligible()
    {
        var pod = Make.Pod("p");
        pod.Spec.PreemptionPolicy = "Never";

        var (_, status) = new global::Timonel.Scheduler.Plugins.DefaultPreemption.DefaultPreemption(new Snapshot()).PostFilter(new CycleState(), new PodInfo(pod), new NodeToStatus());

        Assert.Equal("preemption: not eligible due to preemptionPolicy=Never.", status.Message);
    }
}
