namespace Timonel.Scheduler.Plugins.InterPodAffinity;

/// <summary>PreScore's sums for Score (upstream interpodaffinity preScoreState): topology key → value → score.</summary>
internal sealed class PreScoreState
{
    public Dictionary<string, Dictionary<string, long>> TopologyScore { get; } = new(StringComparer.Ordinal);
}
