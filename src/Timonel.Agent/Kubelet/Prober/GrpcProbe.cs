using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using k8s.Models;
using Timonel.Agent.Kubelet.Prober.Health;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// A grpc probe (pkg/probe/grpc): grpc.health.v1.Health/Check over plaintext HTTP/2 to the pod's IP; SERVING
/// succeeds. The messages are upstream's.
/// </summary>
internal sealed class GrpcProbe : IProbeHandler
{
    public bool Handles(V1Probe probe) => probe.Grpc is not null;

    public async Task<ProbeResult> ProbeAsync(V1Probe probe, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = ProbePorts.HostPort(target.PodIP, probe.Grpc.Port);
        using var channel = GrpcChannel.ForAddress($"http://{address}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false } });
        var client = new Health.Health.HealthClient(channel);
        var headers = new Metadata { { "User-Agent", HttpProbe.UserAgent } };
        var seconds = timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
        try
        {
            var response = await client.CheckAsync(new HealthCheckRequest { Service = probe.Grpc.Service ?? "" }, headers, cancellationToken: cancellationToken);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? ProbeResult.Success("service healthy")
                : ProbeResult.Failure($"service unhealthy (responded with \"{StatusName(response.Status)}\")");
        }
        catch (RpcException e)
        {
            return ProbeResult.Failure(e.StatusCode switch
            {
                StatusCode.Unavailable => $"timeout: failed to connect service \"{address}\" within {seconds}: {e.Status.Detail}",
                StatusCode.Unimplemented => $"this server does not implement the grpc health protocol (grpc.health.v1.Health): {e.Status.Detail}",
                StatusCode.DeadlineExceeded or StatusCode.Cancelled => $"timeout: health rpc did not complete within {seconds}",
                _ => $"error: health rpc probe failed: {e.Status.Detail}",
            });
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Failure($"timeout: health rpc did not complete within {seconds}");
        }
    }

    // The proto enum's names (SERVING, NOT_SERVING...), as Go's String() prints them.
    private static string StatusName(HealthCheckResponse.Types.ServingStatus status) =>
        HealthCheckResponse.Descriptor.EnumTypes[0].FindValueByNumber((int)status)?.Name ?? ((int)status).ToString(CultureInfo.InvariantCulture);
}
