namespace Timonel.Agent.Simulated;

/// <summary>Where a simulated pod is in its life, as far as the agent has reported it.</summary>
internal enum PodStage
{
    /// <summary>Not started yet (or not yet seen since the agent started).</summary>
    Pending,

    /// <summary>Reported Running; readiness and, for a pod that ends, its exit are still to come.</summary>
    Running,

    /// <summary>Reported Succeeded or Failed; nothing more happens until it is deleted.</summary>
    Finished,

    /// <summary>Removed from the API server; the agent forgets it.</summary>
    Deleted,
}
