namespace Timonel.Scheduler.Framework;

/// <summary>
/// Ranks a feasible node (upstream ScorePlugin). After <see cref="IScoreExtensions.NormalizeScore"/> (when the
/// plugin has one) every score is within [0, <see cref="MaxNodeScore"/>]; the framework multiplies it by the
/// plugin's weight. Called for many nodes at once: writes nothing shared.
/// </summary>
public interface IScorePlugin : IPlugin
{
    /// <summary>upstream framework.MaxNodeScore.</summary>
    const long MaxNodeScore = 100;

    (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node);

    /// <summary>The plugin's normalization, or null when its scores are already within range.</summary>
    IScoreExtensions? ScoreExtensions { get; }
}
