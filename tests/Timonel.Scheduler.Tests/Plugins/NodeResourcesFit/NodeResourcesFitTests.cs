using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.NodeResourcesFit;

public sealed class NodeResourcesFitTests
{
    [Theory]
    [InlineData("1", "1Gi", "2", "16Gi", 110, 1, Code.Success, "")]
    [InlineData("3", "1Gi", "2", "16Gi", 110, 1, Code.Unschedulable, "Insufficient cpu")]
    [InlineData("1", "20Gi", "2", "16Gi", 110, 1, Code.Unschedulable, "Insufficient memory")]
    [InlineData("3", "20Gi", "2", "16Gi", 110, 1, Code.Unschedulable, "Insufficient cpu, Insufficient memory")]
    [InlineData("5", "1Gi", "0", "0", 110, 1, Code.Unschedulable, "Insufficient cpu")] // beyond the whole node: still resolvable in 1.32
    [InlineData("1", "1Gi", "0", "0", 2, 2, Code.Unschedulable, "Too many pods")]
    [InlineData("3", "1Gi", "2", "0", 2, 2, Code.Unschedulable, "Too many pods, Insufficient cpu")]
    [InlineData(null, null, "4", "32Gi", 110, 1, Code.Success, "")] // requesting nothing fits a full node
    [InlineData(null, null, "0", "0", 1, 1, Code.Unschedulable, "Too many pods")]
    [InlineData("2", "16Gi", "2", "16Gi", 110, 1, Code.Success, "")] // exactly what is left
    public void Filter_Requests_FitWhatTheNodeHasLeft(string? cpu, string? memory, string usedCpu, string usedMemory, int maxPods, int podsOnNode, Code code, string reasons)
    {
        var existing = new List<V1Pod> { Make.Pod("used", usedCpu, usedMemory, nodeName: "n") };
        for (var i = 1; i < podsOnNode; i++)
        {
            existing.Add(Make.Pod($"other-{i}", nodeName: "n"));
        }

        var status = PluginTesting.Filter(new global::Timonel.Scheduler.Plugins.NodeResourcesFit.NodeResourcesFit(), Make.Pod("p", cpu, memory), Make.Node("n", pods: maxPods), [.. existing]);

        Assert.Equal(code, status.Code);
        Assert.Equal(reasons, status.Message);
    }

    [Fact]
    public void Filter_ExtendedResource_ReportsItByName()
    {
        var node = Make.Node("n");
        node.Status.Allocatable["example.com/gpu"] = new("1");
        var pod = Make.Pod("p");
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["example.com/gpu"] = new("1") } };

        var status = PluginTesting.Filter(new global::Timonel.Scheduler.Plugins.NodeResourcesFit.NodeResourcesFit(), pod, node, pod.WithNode("n", "other"));

        Assert.Equal("Insufficient example.com/gpu", status.Message);
    }

    [Theory]
    [InlineData("1", "8Gi", 75)]
    [InlineData("4", "32Gi", 0)]
    [InlineData(null, null, 98)] // the non-zero defaults, 100m and 200Mi, count for scoring
    public void Score_LeastAllocated_ShareLeftFree(string? cpu, string? memory, long expected)
    {
        var scores = PluginTesting.Score(new global::Timonel.Scheduler.Plugins.NodeResourcesFit.NodeResourcesFit(), Make.Pod("p", cpu, memory), new NodeInfo(Make.Node("n")));

        Assert.Equal([expected], scores);
    }
}
