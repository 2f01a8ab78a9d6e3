using System.Buffers.Binary;
using Google.Protobuf;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Timonel.Agent.Kubelet.Prober;
using Timonel.Agent.Kubelet.Prober.Health;

namespace Timonel.Agent.Tests.Kubelet.Prober;

public class GrpcProbeTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Probe_Serving_SucceedsAskingTheService()
    {
        var asked = new List<string>();
        await using var server = await HealthServerAsync(HealthCheckResponse.Types.ServingStatus.Serving, asked);

        var result = await ProbeAsync(server.Port, "orders");

        Assert.Equal(ProbeResult.Success("service healthy"), result);
        Assert.Equal(["/grpc.health.v1.Health/Check orders"], asked);
    }

    [Fact]
    public async Task Probe_NotServing_FailsWithStatus()
    {
        await using var server = await HealthServerAsync(HealthCheckResponse.Types.ServingStatus.NotServing, []);

        var result = await ProbeAsync(server.Port);

        Assert.Equal(ProbeResult.Failure("service unhealthy (responded with \"NOT_SERVING\")"), result);
    }

    [Fact]
    public async Task Probe_ClosedPort_FailsToConnect()
    {
        var port = ClosedPort.Find();

        var result = await ProbeAsync(port);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.StartsWith($"timeout: failed to connect service \"127.0.0.1:{port}\" within 10s", result.Output);
    }

    private static Task<ProbeResult> ProbeAsync(int port, string? service = null)
    {
        var container = new V1Container { Name = "app" };
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web", Uid = "pod-uid" }, Spec = new V1PodSpec { Containers = [container] } };
        var probe = new V1Probe { Grpc = new V1GRPCAction { Port = port, Service = service } };
        return new GrpcProbe().ProbeAsync(probe, new ProbeTarget(pod, container, "c-1", "127.0.0.1"), _timeout, CancellationToken.None);
    }

    // The health service by hand over HTTP/2: one length-prefixed message each way and grpc-status in the trailers.
    private static Task<LocalServer> HealthServerAsync(HealthCheckResponse.Types.ServingStatus status, List<string> asked) =>
        LocalServer.StartAsync(
            async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                var request = HealthCheckRequest.Parser.ParseFrom(body.ToArray().AsSpan(5));
                asked.Add($"{context.Request.Path} {request.Service}");

                var message = new HealthCheckResponse { Status = status }.ToByteArray();
                var frame = new byte[5 + message.Length];
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
                message.CopyTo(frame, 5);
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(frame);
                context.Response.AppendTrailer("grpc-status", "0");
            },
            HttpProtocols.Http2);
}
