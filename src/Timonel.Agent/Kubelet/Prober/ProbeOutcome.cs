namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// What one probe attempt found (pkg/probe's Result): Warning is a success with something to say (an HTTP
/// redirect to another host); Error is a probe that could not be run: reported, but neither a success nor a
/// failure towards the thresholds (the prober worker throws such a result away).
/// </summary>
public enum ProbeOutcome
{
    Success,
    Warning,
    Failure,
    Error,
}
