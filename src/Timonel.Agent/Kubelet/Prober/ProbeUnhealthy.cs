namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// A probe attempt that failed: the pod worker records it as the container's Warning event with reason Unhealthy
/// and this message (e.g. "Liveness probe failed: HTTP probe failed with statuscode: 500").
/// </summary>
public sealed record ProbeUnhealthy(string PodUid, string ContainerName, ProbeKind Kind, string Message)
{
    public const string Reason = "Unhealthy";
}
