using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.NodeResourcesFit;

/// <summary>
/// The pod's requests must fit in what the node has left (upstream plugins/noderesources fit.go), counting cpu,
/// memory, ephemeral storage, scalar resources and the pod count; the score is LeastAllocated over cpu and memory.
/// </summary>
public sealed class NodeResourcesFit : IFilterPlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeResourcesFit";

    public string Name => PluginName;

    public IScoreExtensions? ScoreExtensions => null;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        // Most nodes fit: answer those without building a list of reasons.
        if (FitsAll(pod.Requests, node))
        {
            return Status.Success;
        }

        // Unschedulable even when a request exceeds the node's whole allocatable: as in Kubernetes 1.32, the version this
        // server speaks. (Upstream answers UnschedulableAndUnresolvable for that case only from 1.34, kubernetes#131345.)
        return Status.New(Code.Unschedulable, [.. Fits(pod, node)]);
    }

    /// <summary>The reasons the pod does not fit, in upstream's order.</summary>
    public static List<string> Fits(PodInfo pod, NodeInfo node)
    {
        var reasons = new List<string>();
        var allocatable = node.Allocatable;
        var requested = node.Requested;
        if (node.Pods.Count + 1 > allocatable.AllowedPodNumber)
        {
            reasons.Add("Too many pods");
        }

        var request = pod.Requests;
        Check(request.MilliCpu, allocatable.MilliCpu, requested.MilliCpu, ResourceNames.Cpu, reasons);
        Check(request.Memory, allocatable.Memory, requested.Memory, ResourceNames.Memory, reasons);
        Check(request.EphemeralStorage, allocatable.EphemeralStorage, requested.EphemeralStorage, ResourceNames.EphemeralStorage, reasons);
        foreach (var (name, want) in request.ScalarResources ?? [])
        {
            Check(want, allocatable.Scalar(name), requested.Scalar(name), name, reasons);
        }

        return reasons;
    }

    private static bool FitsAll(Resource request, NodeInfo node)
    {
        var allocatable = node.Allocatable;
        var requested = node.Requested;
        return node.Pods.Count + 1 <= allocatable.AllowedPodNumber
            && Fits(request.MilliCpu, allocatable.MilliCpu, requested.MilliCpu)
            && Fits(request.Memory, allocatable.Memory, requested.Memory)
            && Fits(request.EphemeralStorage, allocatable.EphemeralStorage, requested.EphemeralStorage)
            && (request.ScalarResources is null || request.ScalarResources.All(pair => Fits(pair.Value, allocatable.Scalar(pair.Key), requested.Scalar(pair.Key))));
    }

    private static bool Fits(long want, long total, long used) => want <= 0 || want <= total - used;

    private static void Check(long want, long total, long used, string resource, List<string> reasons)
    {
        if (!Fits(want, total, used))
        {
            reasons.Add($"Insufficient {resource}");
        }
    }

    /// <summary>LeastAllocated: the share of each resource left free, 0-100, averaged by weight (upstream least_allocated.go).</summary>
    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var (cpu, memory) = ResourceAllocation.Of(pod, node, useRequested: false);
        long score = 0, weightSum = 0;
        foreach (var (requested, allocatable) in (ReadOnlySpan<(long, long)>)[cpu, memory])
        {
            if (allocatable == 0)
            {
                continue;
            }

            score += requested > allocatable ? 0 : (allocatable - requested) * IScorePlugin.MaxNodeScore / allocatable;
            weightSum++;
        }

        return (weightSum == 0 ? 0 : score / weightSum, Status.Success);
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.Pod, ActionType.Delete, "Pod"),
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeAllocatable, "Node"),
    ];
}
