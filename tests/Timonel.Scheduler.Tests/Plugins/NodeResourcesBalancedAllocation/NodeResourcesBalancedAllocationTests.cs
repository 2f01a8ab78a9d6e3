using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.NodeResourcesBalancedAllocation;

public sealed class NodeResourcesBalancedAllocationTests
{
    [Theory]
    [InlineData("1", "8Gi", 100)] // a quarter of each
    [InlineData("2", "8Gi", 87)] // half the cpu, a quarter of the memory: std 0.125
    [InlineData("4", "0", 50)]
    public void Score_Fractions_OneMinusTheirStandardDeviation(string cpu, string memory, long expected)
    {
        var scores = PluginTesting.Score(new global::Timonel.Scheduler.Plugins.NodeResourcesBalancedAllocation.NodeResourcesBalancedAllocation(), Make.Pod("p", cpu, memory), new NodeInfo(Make.Node("n")));

        Assert.Equal([expected], scores);
    }

    [Fact]
    public void PreScore_BestEffortPod_Skips()
    {
        var status = new global::Timonel.Scheduler.Plugins.NodeResourcesBalancedAllocation.NodeResourcesBalancedAllocation().PreScore(new CycleState(), new PodInfo(Make.Pod("p")), []);

        Assert.True(status.IsSkip);
    }
}
