using System.Net;
using System.Net.Sockets;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Timonel.Agent.Kubelet.Prober;

namespace Timonel.Agent.Tests.Kubelet.Prober;

public sealed class NetworkProbeTests : IDisposable
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);

    private readonly HttpProbe _http = new();

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData(200, ProbeOutcome.Success)]
    [InlineData(204, ProbeOutcome.Success)]
    [InlineData(399, ProbeOutcome.Success)]
    [InlineData(400, ProbeOutcome.Failure)]
    [InlineData(500, ProbeOutcome.Failure)]
    public async Task HttpGet_StatusCode_SuccessFrom200To399(int status, ProbeOutcome expected)
    {
        await using var server = await LocalServer.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });

        var result = await HttpGetAsync(server.Port);

        Assert.Equal(expected, result.Outcome);
        if (expected == ProbeOutcome.Failure)
        {
            Assert.Equal($"HTTP probe failed with statuscode: {status}", result.Output);
        }
    }

    [Fact]
    public async Task HttpGet_Request_UserAgentPathAndHeaders()
    {
        var seen = new List<string>();
        await using var server = await LocalServer.StartAsync(context =>
        {
            seen.Add($"{context.Request.Path} {context.Request.Headers.UserAgent} {context.Request.Headers["X-Custom"]} {context.Request.Host}");
            return context.Response.WriteAsync("healthy");
        });
        var action = new V1HTTPGetAction
        {
            Path = "/healthz",
            Port = server.Port,
            HttpHeaders = [new V1HTTPHeader { Name = "X-Custom", Value = "yes" }, new V1HTTPHeader { Name = "Host", Value = "example.test" }],
        };

        var result = await _http.ProbeAsync(new V1Probe { HttpGet = action }, Target(), _timeout, CancellationToken.None);

        Assert.Equal(ProbeResult.Success("healthy"), result);
        Assert.Equal(["/healthz kube-probe/1.32 yes example.test"], seen);
    }

    [Fact]
    public async Task HttpGet_NamedPort_Resolved()
    {
        await using var server = await LocalServer.StartAsync(_ => Task.CompletedTask);
        var target = Target(new V1ContainerPort { Name = "http", ContainerPort = server.Port });

        var result = await _http.ProbeAsync(new V1Probe { HttpGet = new V1HTTPGetAction { Port = "http" } }, target, _timeout, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
    }

    [Fact]
    public async Task HttpGet_SameHostRedirect_Followed()
    {
        await using var server = await LocalServer.StartAsync(context =>
        {
            if (context.Request.Path == "/old")
            {
                context.Response.Redirect("/new");
                return Task.CompletedTask;
            }

            context.Response.StatusCode = context.Request.Path == "/new" ? 500 : 404;
            return Task.CompletedTask;
        });

        var result = await HttpGetAsync(server.Port, "/old");

        Assert.Equal(ProbeResult.Failure("HTTP probe failed with statuscode: 500"), result);
    }

    [Fact]
    public async Task HttpGet_OtherHostRedirect_Warning()
    {
        await using var server = await LocalServer.StartAsync(context =>
        {
            context.Response.Redirect("http://elsewhere.test/");
            return context.Response.WriteAsync("moved");
        });

        var result = await HttpGetAsync(server.Port);

        Assert.Equal(new ProbeResult(ProbeOutcome.Warning, "Probe terminated redirects, Response body: moved"), result);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task HttpGet_Https_CertificateNotVerified()
    {
        await using var server = await LocalServer.StartAsync(_ => Task.CompletedTask, https: true);
        var action = new V1HTTPGetAction { Port = server.Port, Scheme = "HTTPS" };

        var result = await _http.ProbeAsync(new V1Probe { HttpGet = action }, Target(), _timeout, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
    }

    [Fact]
    public async Task HttpGet_ClosedPort_GoDialMessage()
    {
        var port = ClosedPort.Find();

        var result = await HttpGetAsync(port, "/healthz");

        Assert.Equal(ProbeResult.Failure($"Get \"http://127.0.0.1:{port}/healthz\": dial tcp 127.0.0.1:{port}: connect: connection refused"), result);
    }

    [Fact]
    public async Task TcpSocket_Listening_Success()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await new TcpProbe().ProbeAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port } }, Target(), _timeout, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
    }

    [Fact]
    public async Task TcpSocket_ClosedPort_Refused()
    {
        var port = ClosedPort.Find();

        var result = await new TcpProbe().ProbeAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port } }, Target(), _timeout, CancellationToken.None);

        Assert.Equal(ProbeResult.Failure($"dial tcp 127.0.0.1:{port}: connect: connection refused"), result);
    }

    [Fact]
    public async Task Run_UnknownPortName_ProbeError()
    {
        var runner = new ProbeRunner([new TcpProbe()], TimeProvider.System);

        var result = await runner.RunAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "metrics" } }, Target(), CancellationToken.None);

        Assert.Equal(new ProbeResult(ProbeOutcome.Error, "couldn't find port: metrics in app"), result);
    }

    private static ProbeTarget Target(params V1ContainerPort[] ports)
    {
        var container = new V1Container { Name = "app", Ports = ports };
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web", Uid = "pod-uid" }, Spec = new V1PodSpec { Containers = [container] } };
        return new ProbeTarget(pod, container, "c-1", "127.0.0.1");
    }

    private Task<ProbeResult> HttpGetAsync(int port, string path = "/") =>
        _http.ProbeAsync(new V1Probe { HttpGet = new V1HTTPGetAction { Port = port, Path = path } }, Target(), _timeout, CancellationToken.None);
}
