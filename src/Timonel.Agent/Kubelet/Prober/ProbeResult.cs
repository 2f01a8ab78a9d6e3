namespace Timonel.Agent.Kubelet.Prober;

/// <summary>One probe attempt: its outcome and the output upstream puts in events (e.g. "HTTP probe failed with statuscode: 500").</summary>
internal sealed record ProbeResult(ProbeOutcome Outcome, string Output)
{
    public bool Succeeded => Outcome is ProbeOutcome.Success or ProbeOutcome.Warning;

    public static ProbeResult Success(string output) => new(ProbeOutcome.Success, output);

    public static ProbeResult Failure(string output) => new(ProbeOutcome.Failure, output);
}
