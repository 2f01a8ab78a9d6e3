using System.Text.Json;
using k8s.Models;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests;

public sealed class SchedulerTests
{
    [Fact]
    public async Task ScheduleOne_PodFits_BindsAndRecordsScheduled()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("sim-0"));
        harness.AddPods(Make.Pod("x", "1"));

        await harness.ScheduleNextAsync();

        Assert.Equal(new Dictionary<string, string> { ["x"] = "sim-0" }, harness.Bound());
        var ev = Assert.Single(harness.Events.Events);
        Assert.Equal(("default/x", "Normal", "Scheduled", "Binding", "Successfully assigned default/x to sim-0"), ev);
        Assert.True(harness.Cache.IsAssumedPod(Make.Pod("x")));
    }

    [Fact]
    public async Task ScheduleOne_MixedReasons_UpstreamsMessageInEventAndCondition()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("tainted", taints: [Make.Taint("node-role", "x")]), Make.Node("a", cpu: "2"), Make.Node("b", cpu: "2"));
        harness.AddPods(Make.Pod("on-a", "1", nodeName: "a"), Make.Pod("on-b", "1", nodeName: "b"), Make.Pod("big", "2"));

        var pod = await harness.ScheduleNextAsync();

        const string Message = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role: x}, 2 Insufficient cpu. "
            + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..";
        Assert.Empty(harness.Api.Bindings);
        Assert.Equal(("default/big", "Warning", "FailedScheduling", "Scheduling", Message), Assert.Single(harness.Events.Events));
        var (ns, name, patch) = Assert.Single(harness.Api.StatusPatches);
        Assert.Equal(("default", "big"), (ns, name));
        var condition = JsonDocument.Parse(patch).RootElement.GetProperty("status").GetProperty("conditions")[0];
        Assert.Equal("PodScheduled", condition.GetProperty("type").GetString());
        Assert.Equal("False", condition.GetProperty("status").GetString());
        Assert.Equal("Unschedulable", condition.GetProperty("reason").GetString());
        Assert.Equal(Message, condition.GetProperty("message").GetString());
        Assert.Equal("unschedulable", harness.Queue.Where(pod.Key));
        Assert.Equal(["NodeResourcesFit", "TaintToleration"], pod.UnschedulablePlugins.Order());
    }

    [Fact]
    public async Task ScheduleOne_AllNodesLackCpu_UpstreamsExampleMessage()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("a", cpu: "1"), Make.Node("b", cpu: "1"), Make.Node("c", cpu: "1"));
        harness.AddPods(Make.Pod("a", "500m", nodeName: "a"), Make.Pod("b", "500m", nodeName: "b"), Make.Pod("c", "500m", nodeName: "c"), Make.Pod("p", "1"));

        await harness.ScheduleNextAsync();

        Assert.Equal(
            "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..",
            Assert.Single(harness.Events.Events).Note);
    }

    [Fact]
    public async Task ScheduleOne_LargerThanAnyNode_NoVictimsAsIn132()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("a", cpu: "1"), Make.Node("b", cpu: "1"));
        harness.AddPods(Make.Pod("huge", "8"));

        await harness.ScheduleNextAsync();

        Assert.Equal(
            "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..",
            Assert.Single(harness.Events.Events).Note);
    }

    [Fact]
    public async Task ScheduleOne_RoomFreed_ParkedPodIsScheduled()
    {
        var harness = new SchedulerHarness();
        var running = Make.Pod("running", "1", nodeName: "a");
        harness.AddNodes(Make.Node("a", cpu: "1"));
        harness.AddPods(running, Make.Pod("p", "1"));
        var pod = await harness.ScheduleNextAsync();
        Assert.Equal("unschedulable", harness.Queue.Where(pod.Key));

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        harness.Handlers.OnPodDelete(running);
        Assert.Equal("active", harness.Queue.Where(pod.Key));
        await harness.ScheduleNextAsync();

        Assert.Equal("a", harness.Bound()["p"]);
    }

    [Fact]
    public async Task ScheduleOne_SamePodFailsTwice_PatchesTheConditionOnce()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("a", cpu: "1"));
        var pod = Make.Pod("p", "2");
        harness.AddPods(pod);
        await harness.ScheduleNextAsync();
        var (_, _, patch) = Assert.Single(harness.Api.StatusPatches);
        var condition = JsonDocument.Parse(patch).RootElement.GetProperty("status").GetProperty("conditions")[0];
        pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = condition.GetProperty("message").GetString() }];

        harness.Time.Advance(TimeSpan.FromMinutes(6));
        harness.Queue.FlushUnschedulablePodsLeftover();
        await harness.ScheduleNextAsync();

        Assert.Single(harness.Api.StatusPatches);
        Assert.Equal(2, harness.Events.Events.Count);
    }

    [Fact]
    public async Task ScheduleOne_BindingFails_ForgetsThePodAndReportsTheError()
    {
        var harness = new SchedulerHarness();
        harness.Api.BindError = new InvalidOperationException("the server could not find the requested resource");
        harness.AddNodes(Make.Node("a"));
        harness.AddPods(Make.Pod("p", "1"));

        var pod = await harness.ScheduleNextAsync();

        Assert.False(harness.Cache.IsAssumedPod(Make.Pod("p")));
        Assert.Equal("backoff", harness.Queue.Where(pod.Key));
        var ev = Assert.Single(harness.Events.Events);
        Assert.Equal(("FailedScheduling", "running Bind plugin \"DefaultBinder\": the server could not find the requested resource"), (ev.Reason, ev.Note));
        Assert.Contains("\"reason\":\"SchedulerError\"", Assert.Single(harness.Api.StatusPatches).Patch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleOne_ManyPods_AssumedPodsCountForTheNext()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("a", cpu: "2"), Make.Node("b", cpu: "2"));
        harness.AddPods(Make.Pod("p1", "1"), Make.Pod("p2", "1"), Make.Pod("p3", "1"), Make.Pod("p4", "1"), Make.Pod("p5", "1"));

        for (var i = 0; i < 5; i++)
        {
            await harness.ScheduleNextAsync();
        }

        var bound = harness.Bound();
        Assert.Equal(4, bound.Count);
        Assert.Equal(2, bound.Values.Count(n => n == "a"));
        Assert.Equal(2, bound.Values.Count(n => n == "b"));
    }

    [Fact]
    public void OnPodAdd_OtherScheduler_LeftAlone()
    {
        var harness = new SchedulerHarness();
        var other = Make.Pod("other");
        other.Spec.SchedulerName = "my-scheduler";
        var mine = Make.Pod("mine");
        mine.Spec.SchedulerName = "default-scheduler";
        var done = Make.Pod("done");
        done.Status.Phase = "Succeeded";

        harness.AddPods(other, mine, done, Make.Pod("unnamed"));

        Assert.Equal((2, 0, 0), harness.Queue.Counts);
    }

    [Fact]
    public void OnNodeUpdate_HeartbeatOnly_MovesNoPod()
    {
        var before = Make.Node("a");
        before.Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = DateTime.UnixEpoch }];
        var after = Make.Node("a");
        after.Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = DateTime.UnixEpoch.AddSeconds(10) }];

        Assert.Empty(NodeChanges.Of(before, after));
        after.Metadata.Labels["zone"] = "a";
        Assert.Equal(["NodeLabelChange"], NodeChanges.Of(before, after).Select(e => e.Label));
    }
}
