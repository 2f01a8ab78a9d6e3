namespace Timonel.Agent.Kubelet.Prober;

/// <summary>The three probes of a container; their names are how upstream's events and messages spell them.</summary>
public enum ProbeKind
{
    Startup,
    Liveness,
    Readiness,
}
