namespace Timonel.Scheduler.Framework;

/// <summary>Runs once per pod before scoring, with the feasible nodes (upstream PreScorePlugin); Skip skips its Score.</summary>
public interface IPreScorePlugin : IPlugin
{
    Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes);
}
