using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests;

public sealed class EventHandlersTests
{
    [Fact]
    public async Task OnPodUpdate_InformerSeesTheBinding_ConfirmsTheAssumedPod()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("a"));
        var pending = Make.Pod("p", "1");
        harness.AddPods(pending);
        await harness.ScheduleNextAsync();
        Assert.True(harness.Cache.IsAssumedPod(pending));

        harness.Handlers.OnPodUpdate(pending, Make.Pod("p", "1", nodeName: "a"));

        Assert.False(harness.Cache.IsAssumedPod(pending));
        Assert.NotNull(harness.Cache.GetPod(pending));
        Assert.Null(harness.Queue.Where(PodKey.Of(pending)));
    }

    [Fact]
    public void OnPodUpdate_BoundPodFinishes_FreesItsNode()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("a"));
        var running = Make.Pod("p", "1", nodeName: "a");
        harness.AddPods(running);
        var finished = Make.Pod("p", "1", nodeName: "a");
        finished.Status.Phase = "Succeeded";

        harness.Handlers.OnPodUpdate(running, finished);

        Assert.Null(harness.Cache.GetPod(running));
    }

    [Fact]
    public void OnPodUpdate_PendingPodFails_LeavesTheQueue()
    {
        var harness = new SchedulerHarness();
        var pending = Make.Pod("p");
        harness.AddPods(pending);
        var failed = Make.Pod("p");
        failed.Status.Phase = "Failed";

        harness.Handlers.OnPodUpdate(pending, failed);

        Assert.Null(harness.Queue.Where(PodKey.Of(pending)));
    }
}
