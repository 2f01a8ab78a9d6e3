namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// What one probe attempt found (pkg/probe's Result): Warning is a success with something to say (an HTTP
/// redirect to another host); Error is a probe that could not be run, which counts as a failure.
/// </summary>
public enum ProbeOutcome
{
    Success,
    Warning,
    Failure,
    Error,
}
