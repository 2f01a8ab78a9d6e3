namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// PreFilter's counts for Filter (upstream podtopologyspread preFilterState): per DoNotSchedule constraint, the
/// matching pods of each eligible domain (zero included), the number of eligible domains and the two smallest counts
/// (the critical paths). Cloneable, so preemption's dry run and the nominated pods can change a copy's counts
/// (AddPod/RemovePod) without touching the cycle's.
/// </summary>
internal sealed class PreFilterState : ICloneable
{
    public PreFilterState(IReadOnlyList<SpreadConstraint> constraints, IDictionary<string, string>? podLabels)
    {
        Constraints = constraints;
        MatchNum = [.. constraints.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];
        DomainsNum = new int[constraints.Count];
        CriticalPaths = [.. constraints.Select(_ => new CriticalPaths())];
        SelfMatch = [.. constraints.Select(c => c.Selector.Matches(podLabels) ? 1 : 0)];
    }

    private PreFilterState(PreFilterState other)
    {
        Constraints = other.Constraints;
        MatchNum = [.. other.MatchNum.Select(m => new Dictionary<string, int>(m, StringComparer.Ordinal))];
        DomainsNum = other.DomainsNum;
        CriticalPaths = [.. other.CriticalPaths.Select(p => p.Clone())];
        SelfMatch = other.SelfMatch;
    }

    public IReadOnlyList<SpreadConstraint> Constraints { get; }

    public Dictionary<string, int>[] MatchNum { get; }

    /// <summary>Per constraint, the eligible domains PreFilter found (upstream TpKeyToDomainsNum; not changed by AddPod/RemovePod).</summary>
    public int[] DomainsNum { get; }

    public CriticalPaths[] CriticalPaths { get; }

    /// <summary>Per constraint, 1 when the incoming pod matches its own selector (it adds to the domain it lands in).</summary>
    public int[] SelfMatch { get; }

    /// <summary>
    /// The global minimum of a constraint; 0 when there are fewer eligible domains than minDomains (upstream
    /// preFilterState.minMatchNum).
    /// </summary>
    public int MinMatchNum(int constraint) =>
        DomainsNum[constraint] < Constraints[constraint].MinDomains || DomainsNum[constraint] == 0 ? 0 : CriticalPaths[constraint].Min;

    /// <summary>The counts and critical paths are copied; constraints, domain numbers and self-matches never change (upstream Clone).</summary>
    public object Clone() => new PreFilterState(this);
}
