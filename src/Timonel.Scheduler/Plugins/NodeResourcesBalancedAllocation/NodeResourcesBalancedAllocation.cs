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
        var (requested, allocatable) = ResourceAllocation.Of(pod, node, useRequested: true);
        var fractions = new List<double>(2);
        for (var i = 0; i < requested.Length; i++)
        {
            if (allocatable[i] != 0)
            {
                fractions.Add(Math.Min(1, (double)requested[i] / allocatable[i]));
            }
        }

        var std = 0.0;
        if (fractions.Count == 2)
        {
            std = Math.Abs((fractions[0] - fractions[1]) / 2);
        }
        else if (fractions.Count > 2)
        {
            var mean = fractions.Average();
            std = Math.Sqrt(fractions.Sum(f => (f - mean) * (f - mean)) / fractions.Count);
        }

        return ((long)((1 - std) * IScorePlugin.MaxNodeScore), Status.Success);
    }
}
