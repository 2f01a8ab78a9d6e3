using System.Text.Json;
using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.DefaultPreemption;
using Timonel.Scheduler.Tests.Fakes;
using Preemption = Timonel.Scheduler.Plugins.DefaultPreemption.DefaultPreemption;

namespace Timonel.Scheduler.Tests.Plugins.DefaultPreemption;

public sealed class DefaultPreemptionTests
{
    [Fact]
    public void PostFilter_MixedRejections_ReportsUpstreamsPreemptionMessage()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("a"), Make.Node("b"), Make.Node("c"));
        harness.Cache.UpdateSnapshot(harness.Snapshot);
        var statuses = new NodeToStatus();
        statuses.Set("a", Status.UnschedulableAndUnresolvable("node(s) had untolerated taint {x: }"));
        statuses.Set("b", Status.Unschedulable("Insufficient cpu"));
        statuses.Set("c", Status.Unschedulable("Insufficient cpu"));

        var (nominated, status) = new Preemption(harness.Handle).PostFilter(new CycleState(), new PodInfo(Make.Pod("p")), statuses);

        Assert.Equal(Code.Unschedulable, status.Code);
        Assert.Equal("preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.", status.Message);
        Assert.Equal("", nominated);
    }

    [Fact]
    public void PostFilter_PreemptionPolicyNever_NotEligible()
    {
        var pod = Make.Pod("p");
        pod.Spec.PreemptionPolicy = "Never";

        var (nominated, status) = new Preemption(new SchedulerHarness().Handle).PostFilter(new CycleState(), new PodInfo(pod), new NodeToStatus());

        Assert.Equal("preemption: not eligible due to preemptionPolicy=Never.", status.Message);
        Assert.Null(nominated);
    }

    [Fact]
    public async Task ScheduleOne_HigherPriorityPod_EvictsAVictimAndIsNominated()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"));
        harness.AddPods(Prioritized("low", 0, "1500m", "n1"), Prioritized("high", 100, "1"));

        var queued = await harness.ScheduleNextAsync();

        Assert.Empty(harness.Api.Bindings);
        Assert.Equal([("default", "low")], harness.Api.Deletions);
        var condition = PatchOf(harness, "low").GetProperty("status").GetProperty("conditions")[0];
        Assert.Equal("DisruptionTarget", condition.GetProperty("type").GetString());
        Assert.Equal("True", condition.GetProperty("status").GetString());
        Assert.Equal("PreemptionByScheduler", condition.GetProperty("reason").GetString());
        Assert.Equal("default-scheduler: preempting to accommodate a higher priority pod", condition.GetProperty("message").GetString());
        Assert.Contains(("default/low", "Normal", "Preempted", "Preempting", "Preempted by pod uid-high on node n1"), harness.Events.Events);
        Assert.Equal("n1", PatchOf(harness, "high").GetProperty("status").GetProperty("nominatedNodeName").GetString());
        Assert.Equal("n1", harness.Framework.Nominator.NominatedNodeOf(queued.Key));
        var failed = harness.Events.Events.Single(e => e.Reason == "FailedScheduling");
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu.", failed.Note);
    }

    [Fact]
    public void SelectVictimsOnNode_ReprievesTheMostImportantFirst()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "4"));
        harness.AddPods(Prioritized("p10", 10, "1", "n1"), Prioritized("p30", 30, "1", "n1"), Prioritized("p20", 20, "1", "n1"));

        var victims = SelectVictims(harness, Prioritized("high", 100, "2"));

        Assert.Equal(["p10"], victims.Victims.Select(v => v.Pod.Metadata.Name));
        Assert.Equal(0, victims.NumPdbViolations);
    }

    [Fact]
    public void SelectVictimsOnNode_SamePriority_ReprievesTheOlderPod()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"));
        var older = Prioritized("older", 10, "1", "n1");
        older.Status.StartTime = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var newer = Prioritized("newer", 10, "1", "n1");
        newer.Status.StartTime = new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        harness.AddPods(newer, older);

        var victims = SelectVictims(harness, Prioritized("high", 100, "1"));

        Assert.Equal(["newer"], victims.Victims.Select(v => v.Pod.Metadata.Name));
    }

    [Fact]
    public void SelectVictimsOnNode_BudgetProtectsALowerPriorityPod_EvictsTheOther()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "4"));
        harness.AddPods(Labelled(Prioritized("protected", 5, "1500m", "n1"), "a"), Labelled(Prioritized("other", 10, "1500m", "n1"), "b"));
        var preemptor = Prioritized("high", 100, "2");

        var withoutBudget = SelectVictims(harness, preemptor);
        harness.PodDisruptionBudgets.Add(Budget("a", disruptionsAllowed: 0));
        var withBudget = SelectVictims(harness, preemptor);

        Assert.Equal(["protected"], withoutBudget.Victims.Select(v => v.Pod.Metadata.Name));
        Assert.Equal(["other"], withBudget.Victims.Select(v => v.Pod.Metadata.Name));
        Assert.Equal(0, withBudget.NumPdbViolations);
    }

    [Fact]
    public void SelectVictimsOnNode_OnlyProtectedPodsCanMakeRoom_CountsTheViolation()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"));
        harness.AddPods(Labelled(Prioritized("protected", 5, "2", "n1"), "a"));
        harness.PodDisruptionBudgets.Add(Budget("a", disruptionsAllowed: 0));

        var victims = SelectVictims(harness, Prioritized("high", 100, "1"));

        Assert.Equal(["protected"], victims.Victims.Select(v => v.Pod.Metadata.Name));
        Assert.Equal(1, victims.NumPdbViolations);
    }

    [Fact]
    public void PdbViolations_BudgetAllowsOne_SecondMatchingPodViolates()
    {
        var pods = new[] { Labelled(Make.Pod("x"), "a"), Labelled(Make.Pod("y"), "a"), Labelled(Make.Pod("z"), "b") }.Select(p => new PodInfo(p)).ToList();

        var (violating, nonViolating) = PdbViolations.Split(pods, [Budget("a", disruptionsAllowed: 1)]);

        Assert.Equal(["y"], violating.Select(p => p.Pod.Metadata.Name));
        Assert.Equal(["x", "z"], nonViolating.Select(p => p.Pod.Metadata.Name));
    }

    [Fact]
    public async Task ScheduleOne_TwoCandidates_PrefersTheNodeWithoutBudgetViolations()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"), Make.Node("n2", cpu: "2"));
        harness.AddPods(
            Labelled(Prioritized("protected", 1, "2", "n1"), "a"),
            Prioritized("unprotected", 50, "2", "n2"),
            Prioritized("high", 100, "1"));
        harness.PodDisruptionBudgets.Add(Budget("a", disruptionsAllowed: 0));

        await harness.ScheduleNextAsync();

        Assert.Equal([("default", "unprotected")], harness.Api.Deletions);
    }

    [Fact]
    public async Task ScheduleOne_TwoCandidates_PrefersTheLowerPriorityVictim()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"), Make.Node("n2", cpu: "2"));
        harness.AddPods(Prioritized("p20", 20, "2", "n1"), Prioritized("p10", 10, "2", "n2"), Prioritized("high", 100, "1"));

        await harness.ScheduleNextAsync();

        Assert.Equal([("default", "p10")], harness.Api.Deletions);
    }

    [Fact]
    public void Pick_TiesBrokenBySumThenCountThenLatestStart()
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        PodInfo Victim(string name, int priority, int startedDaysAgo)
        {
            var pod = Prioritized(name, priority, "1");
            pod.Status.StartTime = now.AddDays(-startedDaysAgo);
            return new PodInfo(pod);
        }

        var bySum = NodeForPreemption.Pick(
            [new Candidate("two", [Victim("a", 10, 1), Victim("b", 10, 1)], 0), new Candidate("one-lower", [Victim("c", 10, 1), Victim("d", 1, 1)], 0)],
            now);
        var byCount = NodeForPreemption.Pick(
            [new Candidate("two", [Victim("a", -5, 1), Victim("b", -5, 1)], 0), new Candidate("one", [Victim("c", -5, 1)], 0)],
            now);
        var byStart = NodeForPreemption.Pick(
            [new Candidate("old", [Victim("a", 10, 9)], 0), new Candidate("young", [Victim("b", 10, 1)], 0), new Candidate("young-too", [Victim("c", 10, 1)], 0)],
            now);

        Assert.Equal("one-lower", bySum?.Name);
        Assert.Equal("one", byCount?.Name);
        Assert.Equal("young", byStart?.Name);
    }

    [Fact]
    public void NumCandidates_UpstreamsBounds()
    {
        Assert.Equal(50, Preemption.NumCandidates(50));
        Assert.Equal(100, Preemption.NumCandidates(500));
        Assert.Equal(500, Preemption.NumCandidates(5000));
    }

    [Fact]
    public async Task ScheduleOne_NominatedPodOfHigherPriority_KeepsItsRoomFromLowerPods()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"));
        var nominated = Prioritized("nominated", 100, "2");
        harness.AddInformerOnly(nominated);
        harness.Framework.Nominator.Add(new PodInfo(nominated), "n1");
        harness.AddPods(Prioritized("low", 10, "1"));

        await harness.ScheduleNextAsync();

        Assert.Empty(harness.Api.Bindings);
        Assert.StartsWith("0/1 nodes are available: 1 Insufficient cpu.", harness.Events.Events.Single().Note);
    }

    [Fact]
    public async Task ScheduleOne_NominatedPodOfLowerPriority_DoesNotHoldBackAHigherPod()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"));
        var nominated = Prioritized("nominated", 10, "2");
        harness.AddInformerOnly(nominated);
        harness.Framework.Nominator.Add(new PodInfo(nominated), "n1");
        harness.AddPods(Prioritized("higher", 100, "1"));

        await harness.ScheduleNextAsync();

        Assert.Equal(new Dictionary<string, string> { ["higher"] = "n1" }, harness.Bound());
    }

    [Fact]
    public async Task ScheduleOne_NominatedPodScheduled_NoLongerNominated()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"), Make.Node("n2", cpu: "2"));
        var pod = Prioritized("pod", 100, "1");
        pod.Status.NominatedNodeName = "n2";
        harness.AddPods(pod);

        var queued = await harness.ScheduleNextAsync();

        Assert.Equal(new Dictionary<string, string> { ["pod"] = "n2" }, harness.Bound());
        Assert.Null(harness.Framework.Nominator.NominatedNodeOf(queued.Key));
    }

    [Fact]
    public async Task ScheduleOne_VictimStillTerminatingOnNominatedNode_WaitsWithoutEvictingMore()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "2"));
        var terminating = Prioritized("terminating", 0, "1", "n1");
        terminating.Metadata.DeletionTimestamp = harness.Time.GetUtcNow().UtcDateTime;
        terminating.Status.Conditions = [new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "PreemptionByScheduler" }];
        var high = Prioritized("high", 100, "2");
        high.Status.NominatedNodeName = "n1";
        harness.AddPods(terminating, Prioritized("other", 0, "1", "n1"), high);

        await harness.ScheduleNextAsync();

        Assert.Empty(harness.Api.Deletions);
        Assert.EndsWith("preemption: not eligible due to a terminating pod on the nominated node..", harness.Events.Events.Single().Note);
    }

    // upstream default_preemption_test.go "pod with anti-affinity is preempted": room enough, but the preemptor's
    // required anti-affinity conflicts with a lower-priority pod; only that pod is evicted.
    [Fact]
    public void SelectVictimsOnNode_PreemptorAntiAffinityToALowerPod_EvictsOnlyThatPod()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "4"));
        harness.AddPods(Labelled(Prioritized("db", 0, "1", "n1"), "db"), Labelled(Prioritized("web", 0, "1", "n1"), "web"));

        var victims = SelectVictims(harness, AntiAffinityTo(Prioritized("high", 100, "1"), "db"));

        Assert.Equal(["db"], victims.Victims.Select(v => v.Pod.Metadata.Name));
    }

    [Fact]
    public void SelectVictimsOnNode_LowerPodsAntiAffinityToThePreemptor_EvictsThatPod()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "4"));
        harness.AddPods(AntiAffinityTo(Prioritized("loner", 0, "1", "n1"), "db"), Prioritized("other", 0, "1", "n1"));

        var victims = SelectVictims(harness, Labelled(Prioritized("high", 100, "1"), "db"));

        Assert.Equal(["loner"], victims.Victims.Select(v => v.Pod.Metadata.Name));
    }

    [Fact]
    public async Task ScheduleOne_AntiAffinityConflictOnTheOnlyNode_EvictsTheConflictingPodAndIsNominated()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "4"));
        harness.AddPods(Labelled(Prioritized("db", 0, "1", "n1"), "db"), Prioritized("web", 0, "1", "n1"), AntiAffinityTo(Prioritized("high", 100, "1"), "db"));

        var queued = await harness.ScheduleNextAsync();

        Assert.Equal([("default", "db")], harness.Api.Deletions);
        Assert.Equal("n1", harness.Framework.Nominator.NominatedNodeOf(queued.Key));
        Assert.Equal("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.", harness.Events.Events.Single(e => e.Reason == "FailedScheduling").Note);
    }

    [Fact]
    public void RunFilterPluginsWithNominatedPods_HigherNominatedPodMatchesAntiAffinity_NodeRejected()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "4"));
        var nominated = Labelled(Prioritized("nominated", 100, "1"), "db");
        harness.AddInformerOnly(nominated);
        harness.Framework.Nominator.Add(new PodInfo(nominated), "n1");
        harness.Cache.UpdateSnapshot(harness.Snapshot);
        var state = new CycleState();
        var pod = new PodInfo(AntiAffinityTo(Prioritized("p", 50, "1"), "db"));
        harness.Framework.RunPreFilterPlugins(state, pod);

        var status = harness.Framework.RunFilterPluginsWithNominatedPods(state, pod, harness.Snapshot.NodeInfoList[0]);

        Assert.Equal("node(s) didn't match pod anti-affinity rules", status.Message);
    }

    [Fact]
    public async Task ScheduleOne_SpreadByHostnameSkewedToTheOnlyPreemptibleNode_EvictsOneMatchingPod()
    {
        // n2 is full with a pod that cannot be preempted; on n1 two web pods make the skew 2 + 1 - 1 > 1.
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("n1", cpu: "4"), Make.Node("n2", cpu: "1"));
        var preemptor = Labelled(Prioritized("high", 100, "1"), "web");
        preemptor.Spec.TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint
            {
                TopologyKey = "kubernetes.io/hostname",
                MaxSkew = 1,
                WhenUnsatisfiable = "DoNotSchedule",
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        ];
        harness.AddPods(
            Labelled(Prioritized("web-1", 0, "1", "n1"), "web"),
            Labelled(Prioritized("web-2", 0, "1", "n1"), "web"),
            Prioritized("other", 0, "1", "n1"),
            Labelled(Prioritized("web-n2", 1000, "1", "n2"), "web"),
            preemptor);

        var queued = await harness.ScheduleNextAsync();

        var (_, victim) = Assert.Single(harness.Api.Deletions);
        Assert.StartsWith("web-", victim, StringComparison.Ordinal);
        Assert.Equal("n1", harness.Framework.Nominator.NominatedNodeOf(queued.Key));
    }

    private static V1Pod AntiAffinityTo(V1Pod pod, string app)
    {
        pod.Spec.Affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PodAffinityTerm
                    {
                        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
                        TopologyKey = "kubernetes.io/hostname",
                    },
                ],
            },
        };
        return pod;
    }

    private static V1Pod Prioritized(string name, int priority, string cpu, string? nodeName = null)
    {
        var pod = Make.Pod(name, cpu, nodeName: nodeName);
        pod.Spec.Priority = priority;
        pod.Spec.SchedulerName = "default-scheduler";
        pod.Status.Phase = nodeName is null ? "Pending" : "Running";
        return pod;
    }

    private static V1Pod Labelled(V1Pod pod, string app)
    {
        pod.Metadata.Labels = new Dictionary<string, string> { ["app"] = app };
        return pod;
    }

    private static V1PodDisruptionBudget Budget(string app, int disruptionsAllowed) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"pdb-{app}", NamespaceProperty = "default" },
        Spec = new V1PodDisruptionBudgetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } } },
        Status = new V1PodDisruptionBudgetStatus { DisruptionsAllowed = disruptionsAllowed },
    };

    private static (List<PodInfo> Victims, int NumPdbViolations) SelectVictims(SchedulerHarness harness, V1Pod preemptor)
    {
        harness.Cache.UpdateSnapshot(harness.Snapshot);
        var state = new CycleState();
        var pod = new PodInfo(preemptor);
        harness.Framework.RunPreFilterPlugins(state, pod);
        var (victims, violations, status) = new Preemption(harness.Handle).SelectVictimsOnNode(state, pod, harness.Snapshot.NodeInfoList[0].Snapshot(), harness.PodDisruptionBudgets);
        Assert.True(status.IsSuccess, status.ToString());
        return (victims, violations);
    }

    private static JsonElement PatchOf(SchedulerHarness harness, string name) =>
        JsonDocument.Parse(harness.Api.StatusPatches.Last(p => p.Name == name).Patch).RootElement;
}
