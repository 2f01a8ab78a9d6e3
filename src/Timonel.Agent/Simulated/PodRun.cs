namespace Timonel.Agent.Simulated;

/// <summary>
/// How a simulated pod runs, read from its spec and annotations when it starts: when it becomes ready (after its
/// readiness probes' initialDelaySeconds) and, for a pod that is not restarted forever, when it exits and with which code.
/// </summary>
internal sealed record PodRun(DateTimeOffset StartedAt, DateTimeOffset ReadyAt, DateTimeOffset? FinishAt, int ExitCode)
{
    /// <summary>Seconds the pod's containers run before exiting (restartPolicy Never or OnFailure only).</summary>
    public const string RunSecondsAnnotation = "sim.timonel.io/run-seconds";

    /// <summary>The exit code the containers end with: 0 makes the pod Succeeded, anything else Failed.</summary>
    public const string ExitCodeAnnotation = "sim.timonel.io/exit-code";

    /// <summary>
    /// "false" makes every container's readiness probe fail from now on, "true" (or removing it) lets it pass again:
    /// read on every sync, so <c>kubectl annotate</c> turns a running pod not-ready and back, as a failing probe would.
    /// </summary>
    public const string ReadyAnnotation = "sim.timonel.io/ready";
}
