using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.NodeResourcesBalancedAllocation;

/// <summary>
/// Prefers nodes whose cpu and memory would be used in the same proportion (upstream noderesources
/// balanced_allocation.go): 100 × (1 − the standard deviation of the requested fractions), with the real requests.
/// </summary>
public sealed class NodeResourcesBalancedAllocation : IPreScorePlugin, IScorePlugin
{
    public const string PluginName = "NodeResourcesBalancedAllocation";

    public string Name => PluginName;

    public IScoreExtensions? ScoreExtensions => null;

    /// <summary>
    /// A pod requesting nothing is not scored: balancing on it would pile best-effort pods onto one node
    /// (upstream kubernetes#129138).
    /// </summary>
    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes) =>
        pod.Requests.MilliCpu == 0 && pod.Requests.Memory == 0 ? Status.Skip : Status.Success;

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var (cpu, memory) = ResourceAllocation.Of(pod, node, useRequested: true);

        // With the default resources (cpu and memory) the standard deviation of two fractions is half their difference.
        var std = cpu.Allocatable != 0 && memory.Allocatable != 0 ? Math.Abs((Fraction(cpu) - Fraction(memory)) / 2) : 0;
        return ((long)((1 - std) * IScorePlugin.MaxNodeScore), Status.Success);
    }

    private static double Fraction((long Requested, long Allocatable) resource) =>
        Math.Min(1, (double)resource.Requested / resource.Allocatable);
}
