using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>One way of probing a container (httpGet, tcpSocket, exec or grpc).</summary>
internal interface IProbeHandler
{
    /// <summary>Whether <paramref name="probe"/> uses this handler.</summary>
    bool Handles(V1Probe probe);

    /// <summary>Runs one attempt within <paramref name="timeout"/> (<paramref name="cancellationToken"/> fires at it).</summary>
    Task<ProbeResult> ProbeAsync(V1Probe probe, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken);
}
