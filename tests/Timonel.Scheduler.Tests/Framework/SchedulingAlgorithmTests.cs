using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Framework;

public sealed class SchedulingAlgorithmTests
{
    [Theory]
    [InlineData(0, 10, 10)] // under 100 nodes: all
    [InlineData(0, 99, 99)]
    [InlineData(0, 100, 100)]
    [InlineData(0, 1000, 420)] // 50 - 1000/125 = 42 %
    [InlineData(0, 5000, 500)] // 50 - 40 = 10 %
    [InlineData(0, 6000, 300)] // 50 - 48 = 2 %, raised to 5 %
    [InlineData(0, 150, 100)] // 49 % of 150 = 73, raised to 100
    [InlineData(30, 1000, 300)]
    [InlineData(100, 5000, 5000)]
    public void NumFeasibleNodesToFind_Adaptive_AsUpstream(int percentage, int nodes, int expected)
    {
        Assert.Equal(expected, SchedulingAlgorithm.NumFeasibleNodesToFind(percentage, nodes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SchedulePod_ManyNodes_FiltersOnlyTheFeasibleNodesToFindThenStartsAfterThem(int parallelism)
    {
        var harness = new SchedulerHarness(parallelism: parallelism);
        harness.AddNodes([.. Enumerable.Range(0, 1000).Select(i => Make.Node($"n{i:D4}"))]);
        harness.Cache.UpdateSnapshot(harness.Snapshot);

        var first = harness.Algorithm.SchedulePod(new CycleState(), new PodInfo(Make.Pod("a", "100m")));
        var second = harness.Algorithm.SchedulePod(new CycleState(), new PodInfo(Make.Pod("b", "100m")));

        Assert.Equal(420, first.FeasibleNodes);
        Assert.Equal(420, first.EvaluatedNodes);
        Assert.Equal(420, second.FeasibleNodes);
        if (parallelism == 1)
        {
            // Round robin: the second pod's nodes are the 420 after the first pod's.
            Assert.InRange(string.CompareOrdinal(first.SuggestedHost, "n0420"), int.MinValue, -1);
            Assert.InRange(string.CompareOrdinal(second.SuggestedHost, "n0420"), 0, int.MaxValue);
            Assert.InRange(string.CompareOrdinal(second.SuggestedHost, "n0840"), int.MinValue, -1);
        }
    }

    [Fact]
    public void SchedulePod_ScoresDecide_TheLeastAllocatedNodeWins()
    {
        var harness = new SchedulerHarness();
        harness.AddNodes(Make.Node("busy"), Make.Node("idle"));
        harness.AddPods(Make.Pod("running", "3", "16Gi", nodeName: "busy"));
        harness.Cache.UpdateSnapshot(harness.Snapshot);

        var result = harness.Algorithm.SchedulePod(new CycleState(), new PodInfo(Make.Pod("p", "500m", "1Gi")));

        Assert.Equal("idle", result.SuggestedHost);
    }

    [Fact]
    public void SchedulePod_NoNodes_Throws()
    {
        var harness = new SchedulerHarness();
        harness.Cache.UpdateSnapshot(harness.Snapshot);

        var error = Assert.Throws<NoNodesAvailableException>(() => harness.Algorithm.SchedulePod(new CycleState(), new PodInfo(Make.Pod("p"))));

        Assert.Equal("no nodes available to schedule pods", error.Message);
    }
}
