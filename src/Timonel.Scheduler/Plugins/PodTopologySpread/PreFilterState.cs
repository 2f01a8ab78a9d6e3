namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// PreFilter's counts for Filter (upstream podtopologyspread preFilterState): per DoNotSchedule constraint, the
/// matching pods of each eligible domain (zero included) and the smallest of them (the critical path's minimum).
/// </summary>
internal sealed class PreFilterState
{
    public PreFilterState(IReadOnlyList<SpreadConstraint> constraints, IDictionary<string, string>? podLabels)
    {
        Constraints = constraints;
        MatchNum = [.. constraints.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];
        MinMatchNum = new int[constraints.Count];
        SelfMatch = [.. constraints.Select(c => c.Selector.Matches(podLabels) ? 1 : 0)];
    }

    public IReadOnlyList<SpreadConstraint> Constraints { get; }

    public Dictionary<string, int>[] MatchNum { get; }

    /// <summary>The global minimum per constraint; 0 when there are fewer eligible domains than minDomains.</summary>
    public int[] MinMatchNum { get; }

    /// <summary>Per constraint, 1 when the incoming pod matches its own selector (it adds to the domain it lands in).</summary>
    public int[] SelfMatch { get; }
}
