using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.Helper;

/// <summary>
/// The cpu and memory a node would have requested with the pod on it, against its allocatable (upstream
/// noderesources resourceAllocationScorer with the default resources: cpu and memory, weight 1 each).
/// </summary>
public static class ResourceAllocation
{
    /// <summary>
    /// Requested and allocatable of cpu, then of memory: <paramref name="useRequested"/> sums the real requests
    /// (BalancedAllocation), otherwise the requests with the non-zero defaults (LeastAllocated). A resource the node
    /// does not offer is left at 0/0, which scorers skip.
    /// </summary>
    public static ((long Requested, long Allocatable) Cpu, (long Requested, long Allocatable) Memory) Of(PodInfo pod, NodeInfo node, bool useRequested)
    {
        var nodeRequested = useRequested ? node.Requested : node.NonZeroRequested;
        var podCpu = useRequested ? pod.Requests.MilliCpu : pod.NonZeroMilliCpu;
        var podMemory = useRequested ? pod.Requests.Memory : pod.NonZeroMemory;
        var cpu = node.Allocatable.MilliCpu;
        var memory = node.Allocatable.Memory;
        return ((cpu == 0 ? 0 : nodeRequested.MilliCpu + podCpu, cpu), (memory == 0 ? 0 : nodeRequested.Memory + podMemory, memory));
    }
}
