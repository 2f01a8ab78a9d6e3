using System.Net.Sockets;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>A tcpSocket probe (pkg/probe/tcp): success when a connection to the port opens.</summary>
internal sealed class TcpProbe : IProbeHandler
{
    public bool Handles(V1Probe probe) => probe.TcpSocket is not null;

    public async Task<ProbeResult> ProbeAsync(V1Probe probe, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var host = string.IsNullOrEmpty(probe.TcpSocket.Host) ? target.PodIP : probe.TcpSocket.Host;
        var port = ProbePorts.Resolve(probe.TcpSocket.Port, target.Container);
        var address = ProbePorts.HostPort(host, port);
        using var client = new TcpClient(host.Contains(':') ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return ProbeResult.Success("");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return ProbeResult.Failure(DialErrors.Describe(e, address));
        }
    }
}
