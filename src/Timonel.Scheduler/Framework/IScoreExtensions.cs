namespace Timonel.Scheduler.Framework;

/// <summary>Rescales a plugin's scores of all feasible nodes at once (upstream ScoreExtensions).</summary>
public interface IScoreExtensions
{
    Status NormalizeScore(CycleState state, PodInfo pod, NodeScore[] scores);
}
