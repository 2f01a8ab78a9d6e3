namespace Timonel.Agent.Kubelet.Prober;

/// <summary>A liveness or startup probe that failed past its threshold, and the output upstream puts in the Unhealthy event.</summary>
/// <param name="ProbeType">"Liveness" or "Startup".</param>
/// <param name="Message">e.g. "HTTP probe failed with statuscode: 500".</param>
public sealed record ProbeFailure(string ProbeType, string Message);
