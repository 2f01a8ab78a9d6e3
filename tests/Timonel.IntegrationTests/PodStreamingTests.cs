using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Server;
using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>
/// kubectl logs and exec on a scheduled pod, through the API server to a real <see cref="KubeletServer"/> on
/// loopback whose runtime is a fake with a fake streaming server: the whole path but containerd.
/// </summary>
public sealed class PodStreamingTests : IClassFixture<SqliteClusterFixture>, IAsyncLifetime
{
    private readonly SqliteClusterFixture _fixture;
    private readonly FakeStreamingRuntime _runtime = new();
    private readonly string _logs = Directory.CreateTempSubdirectory("timonel-kubelet-logs-").FullName;
    private FakeStreamingServer? _streaming;
    private KubeletServer? _kubelet;
    private string _ns = "";

    public PodStreamingTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    public async Task InitializeAsync()
    {
        if (_fixture.SkipReason is not null)
        {
            return;
        }

        var pki = _fixture.Cluster.Host.Pki;
        _streaming = await FakeStreamingServer.StartAsync(_runtime);
        _kubelet = await KubeletServer.StartAsync(
            new KubeletServerOptions
            {
                Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
                ServingCertificate = pki.IssueServingCertificate("kubelet", ["localhost"], [IPAddress.Loopback]),
                ClusterCa = pki.CertificateAuthority,
            },
            _runtime,
            NullLoggerFactory.Instance,
            TimeProvider.System,
            CancellationToken.None);
        _ns = await _fixture.Cluster.CreateNamespaceAsync();
        var node = "node-" + _ns;
        (await Kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Node\nmetadata:\n  name: {node}\n", "create", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "node", node, "--subresource=status", "--type=merge", "-p",
            """{"status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":""" + _kubelet.Port + "}}}}")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync($"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              nodeName: {node}
              containers:
              - name: app
                image: busybox
              - name: fresh
                image: busybox
            """, "create", "-n", _ns, "-f", "-")).EnsureSuccess();
        // kubectl port-forward refuses a pod that is not Running.
        (await Kubectl.RunAsync("patch", "pod", "web", "-n", _ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Running\"}}")).EnsureSuccess();
        File.WriteAllText(Path.Combine(_logs, "app-0.log"), "2026-12-06T10:00:00Z stdout F crashed once\n");
        File.WriteAllText(Path.Combine(_logs, "app-1.log"), "2026-12-06T10:01:00Z stdout F started\n2026-12-06T10:01:01Z stderr F serving\n");
        _runtime.AddContainer(_ns, "web", "app", "app-0", 0, ContainerState.ContainerExited, Path.Combine(_logs, "app-0.log"));
        _runtime.AddContainer(_ns, "web", "app", "app-1", 1, ContainerState.ContainerExited, Path.Combine(_logs, "app-1.log"));
        _runtime.AddContainer(_ns, "web", "fresh", "fresh-0", 0, ContainerState.ContainerRunning, Path.Combine(_logs, "fresh-0.log"));
        File.WriteAllText(Path.Combine(_logs, "fresh-0.log"), "");
        _runtime.AddSandbox(_ns, "web", "sandbox-web");
    }

    [SkippableFact]
    public async Task Logs_CurrentAttempt_BothStreams()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = await Kubectl.RunAsync("logs", "web", "-n", _ns, "-c", "app");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("started\nserving\n", result.Stdout);
    }

    [SkippableFact]
    public async Task Logs_PreviousWithTimestampsAndTail_TheAttemptBefore()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var previous = await Kubectl.RunAsync("logs", "web", "-n", _ns, "-c", "app", "--previous", "--timestamps");
        var tail = await Kubectl.RunAsync("logs", "web", "-n", _ns, "-c", "app", "--tail=1");

        Assert.Equal("2026-12-06T10:00:00Z crashed once\n", previous.Stdout);
        Assert.Equal("serving\n", tail.Stdout);
    }

    [SkippableFact]
    public async Task Logs_NoPreviousAttempt_UpstreamsMessage()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = await Kubectl.RunAsync("logs", "web", "-n", _ns, "-c", "fresh", "--previous");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error from server (BadRequest): previous terminated container \"fresh\" in pod \"web\" not found", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Exec_Echo_PrintsItsOutput()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = await Kubectl.RunAsync("exec", "web", "-n", _ns, "-c", "fresh", "--", "echo", "hello", "world");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello world\n", result.Stdout);
    }

    [SkippableFact]
    public async Task Exec_NonZeroExit_KubectlExitsWithTheCommandsCode()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = await Kubectl.RunAsync("exec", "web", "-n", _ns, "-c", "fresh", "--", "sh", "-c", "exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("command terminated with exit code 3", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Exec_Stdin_ReachesTheCommand()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = await Kubectl.RunWithInputAsync("typed in\n", "exec", "-i", "web", "-n", _ns, "-c", "fresh", "--", "cat");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("typed in\n", result.Stdout);
    }

    [SkippableFact]
    public async Task Exec_ContainerNotRunning_Refused()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = await Kubectl.RunAsync("exec", "web", "-n", _ns, "-c", "app", "--", "echo", "hi");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("container not found (\"app\")", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ExecV5_ResizeThenCloseStdin_SizeReachesTheCommandAndTheStreamEnds()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var pki = _fixture.Cluster.Host.Pki;
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(StreamProtocols.V5);
        socket.Options.ClientCertificates.Add(pki.KubeletClient);
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaTrust.IsIssuedBy(pki.CertificateAuthority, certificate, errors);
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{_kubelet!.Port}/exec/{_ns}/web/fresh?command=size&input=1&output=1&tty=1"), CancellationToken.None);

        await socket.SendAsync((byte[])[4, .. "{\"Width\":80,\"Height\":24}"u8], WebSocketMessageType.Binary, true, CancellationToken.None);
        var stdout = new List<byte>();
        while (!stdout.Contains((byte)'\n') && await WebSocketMessages.ReceiveAsync(socket, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)) is { } message)
        {
            if (message[0] == 1)
            {
                stdout.AddRange(message[1..]);
            }
        }

        await socket.SendAsync((byte[])[StreamProtocols.CloseChannel, StreamProtocols.Stdin], WebSocketMessageType.Binary, true, CancellationToken.None);
        var end = await WebSocketMessages.ReceiveAsync(socket, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(StreamProtocols.V5, socket.SubProtocol);
        Assert.Equal("80x24\n", System.Text.Encoding.UTF8.GetString([.. stdout]));
        Assert.Null(end);
    }

    [SkippableFact]
    public async Task PortForward_LocalPort_ReachesThePodsPort()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var local = FreePort.Next();
        using var forward = Kubectl.Start("port-forward", "-n", _ns, "pod/web", $"{local}:80");
        try
        {
            // kubectl says so once it listens.
            var line = await forward.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("Forwarding from", line ?? "", StringComparison.Ordinal);

            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, local);
            var stream = tcp.GetStream();
            await stream.WriteAsync("ping\n"u8.ToArray());
            var answer = new byte[11];
            await stream.ReadExactlyAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal("pong: ping\n", System.Text.Encoding.UTF8.GetString(answer));
        }
        finally
        {
            forward.Kill();
        }
    }

    public async Task DisposeAsync()
    {
        if (_kubelet is not null)
        {
            await _kubelet.DisposeAsync();
        }

        if (_streaming is not null)
        {
            await _streaming.DisposeAsync();
        }

        Directory.Delete(_logs, recursive: true);
    }
}
