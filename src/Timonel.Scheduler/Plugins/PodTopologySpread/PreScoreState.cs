using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// PreScore's sums for Score (upstream podtopologyspread preScoreState): the ScheduleAnyway constraints, the nodes
/// lacking their topology keys, the matching pods per domain (hostname domains are counted in Score) and each
/// constraint's weight, the log of its number of domains.
/// </summary>
internal sealed class PreScoreState
{
    public PreScoreState(IReadOnlyList<SpreadConstraint> constraints)
    {
        Constraints = constraints;
        NormalizingWeight = new double[constraints.Count];
    }

    public IReadOnlyList<SpreadConstraint> Constraints { get; }

    public HashSet<string> IgnoredNodes { get; } = new(StringComparer.Ordinal);

    public Dictionary<TopologyPair, long> PodCounts { get; } = [];

    public double[] NormalizingWeight { get; }
}
