using Microsoft.Extensions.Time.Testing;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Queue;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Queue;

public sealed class SchedulingQueueTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly SchedulingQueue _queue;

    public SchedulingQueueTests()
    {
        var framework = global::Timonel.Scheduler.Plugins.DefaultProfile.Framework(new global::Timonel.Scheduler.Framework.FrameworkHandle(new FakeSchedulerApi(), new global::Timonel.Scheduler.Cache.Snapshot(), _time));
        _queue = new SchedulingQueue(framework.QueueSort, framework.EventsToRegister, _time);
    }

    public void Dispose() => _queue.Dispose();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(50, 10)]
    public void BackoffDuration_Attempts_DoublesFromOneSecondUpToTen(int attempts, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), _queue.BackoffDuration(attempts));
    }

    [Fact]
    public async Task PopAsync_Priorities_HighestFirstThenOldest()
    {
        _queue.Add(WithPriority("low-old", 0));
        _time.Advance(TimeSpan.FromSeconds(1));
        _queue.Add(WithPriority("high", 100));
        _queue.Add(WithPriority("low-new", 0));

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add((await _queue.PopAsync(CancellationToken.None))!.PodInfo.Pod.Metadata.Name);
        }

        Assert.Equal(["high", "low-old", "low-new"], order);
    }

    [Fact]
    public async Task AddUnschedulableIfNotPresent_Error_BacksOffThenReturnsToActive()
    {
        _queue.Add(Make.Pod("p"));
        var pod = (await _queue.PopAsync(CancellationToken.None))!;

        _queue.AddUnschedulableIfNotPresent(pod, _queue.SchedulingCycle);
        Assert.Equal("backoff", _queue.Where(pod.Key));

        _time.Advance(TimeSpan.FromMilliseconds(999));
        _queue.FlushBackoffQCompleted();
        Assert.Equal("backoff", _queue.Where(pod.Key));

        _time.Advance(TimeSpan.FromMilliseconds(2));
        _queue.FlushBackoffQCompleted();
        Assert.Equal("active", _queue.Where(pod.Key));
    }

    [Fact]
    public async Task Run_Timers_FlushBackoffOnTheClock()
    {
        _queue.Run();
        _queue.Add(Make.Pod("p"));
        var pod = (await _queue.PopAsync(CancellationToken.None))!;
        _queue.AddUnschedulableIfNotPresent(pod, _queue.SchedulingCycle);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("active", _queue.Where(pod.Key));
    }

    [Fact]
    public async Task MoveAllToActiveOrBackoffQueue_RelevantEvent_MovesTheParkedPod()
    {
        var pod = await RejectedByAsync("p", "NodeResourcesFit");
        Assert.Equal("unschedulable", _queue.Where(pod.Key));

        // A label change cannot help a pod that lacked cpu.
        _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.NodeLabelChange);
        Assert.Equal("unschedulable", _queue.Where(pod.Key));

        _time.Advance(TimeSpan.FromSeconds(5));
        _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodDelete);
        Assert.Equal("active", _queue.Where(pod.Key));
    }

    [Fact]
    public async Task MoveAllToActiveOrBackoffQueue_StillBackingOff_GoesToBackoff()
    {
        var pod = await RejectedByAsync("p", "TaintToleration");

        _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.NodeAdd);

        Assert.Equal("backoff", _queue.Where(pod.Key));
    }

    [Fact]
    public async Task AddUnschedulableIfNotPresent_MoveRequestDuringTheCycle_GoesToBackoff()
    {
        _queue.Add(Make.Pod("p"));
        var pod = (await _queue.PopAsync(CancellationToken.None))!;
        var cycle = _queue.SchedulingCycle;
        _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.NodeAdd);
        pod.UnschedulablePlugins.Add("NodeResourcesFit");

        _queue.AddUnschedulableIfNotPresent(pod, cycle);

        Assert.Equal("backoff", _queue.Where(pod.Key));
    }

    [Fact]
    public async Task FlushUnschedulablePodsLeftover_AfterFiveMinutes_MovesThePod()
    {
        var pod = await RejectedByAsync("p", "NodeAffinity");

        _time.Advance(TimeSpan.FromMinutes(5));
        _queue.FlushUnschedulablePodsLeftover();
        Assert.Equal("unschedulable", _queue.Where(pod.Key));

        _time.Advance(TimeSpan.FromSeconds(1));
        _queue.FlushUnschedulablePodsLeftover();
        Assert.Equal("active", _queue.Where(pod.Key));
    }

    [Fact]
    public async Task Update_ParkedPodSpecChanged_MovesIt()
    {
        var pod = await RejectedByAsync("p", "NodeAffinity");
        var updated = Make.Pod("p");
        updated.Spec.NodeSelector = new Dictionary<string, string> { ["zone"] = "b" };

        _queue.Update(pod.PodInfo.Pod, pod.PodInfo.Pod);
        Assert.Equal("unschedulable", _queue.Where(pod.Key));

        _time.Advance(TimeSpan.FromSeconds(2));
        _queue.Update(pod.PodInfo.Pod, updated);
        Assert.Equal("active", _queue.Where(pod.Key));
    }

    [Fact]
    public async Task Delete_QueuedPod_IsGone()
    {
        var pod = await RejectedByAsync("p", "NodeAffinity");

        _queue.Delete(pod.PodInfo.Pod);

        Assert.Null(_queue.Where(pod.Key));
    }

    [Fact]
    public async Task PopAsync_EmptyQueue_WaitsForAnAdd()
    {
        var pop = _queue.PopAsync(CancellationToken.None);
        Assert.False(pop.IsCompleted);

        _queue.Add(Make.Pod("p"));

        Assert.Equal("p", (await pop)!.PodInfo.Pod.Metadata.Name);
    }

    private async Task<QueuedPodInfo> RejectedByAsync(string name, string plugin)
    {
        _queue.Add(Make.Pod(name));
        var pod = (await _queue.PopAsync(CancellationToken.None))!;
        pod.UnschedulablePlugins.Add(plugin);
        _queue.AddUnschedulableIfNotPresent(pod, _queue.SchedulingCycle);
        return pod;
    }

    private static k8s.Models.V1Pod WithPriority(string name, int priority)
    {
        var pod = Make.Pod(name);
        pod.Spec.Priority = priority;
        return pod;
    }
}
