namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// PreFilter's counts for Filter (upstream podtopologyspread preFilterState): per DoNotSchedule constraint, the
/// matching pods of each eligible domain (zero included) and the smallest of them (the critical path's minimum).
/// </summary>
internal sealed class PreFilterState
{
    public static PreFilterState Empty { get; } = new([]);

    public PreFilterState(IReadOnlyList<SpreadConstraint> constraints)
    {
        Constraints = constraints;
        MatchNum = [.. constraints.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];
        MinMatchNum = new int[constraints.Count];
    }

    public IReadOnlyList<SpreadConstraint> Constraints { get; }

    public Dictionary<string, int>[] MatchNum { get; }

    /// <summary>The global minimum per constraint; 0 when there are fewer eligible domains than minDomains.</summary>
    public int[] MinMatchNum { get; }
}
