using System.Net.Http;
using System.Text.RegularExpressions;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// The real kubectl told to speak SPDY rather than WebSocket (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false,
/// KUBECTL_PORT_FORWARD_WEBSOCKETS=false): exec with stdin and an exit code, attach and port-forward, through the API
/// server's relay and the kubelet's pass-through to the runtime's streaming server.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed partial class SpdyStreamingTests
{
    private readonly RealNodePods _pods;

    public SpdyStreamingTests(RealNodeFixture node) => _pods = new RealNodePods(node);

    private Kubectl SpdyKubectl => _pods.Kubectl
        .WithEnvironment("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")
        .WithEnvironment("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false");

    [SkippableFact]
    public async Task Exec_StdinAndAnExitCode_ReachKubectl()
    {
        var ns = await _pods.StartAsync();
        await _pods.ApplyPodAsync(ns, "shell", Busybox("""["sleep", "3600"]"""));

        var result = await SpdyKubectl.RunWithInputAsync("hi\n", "exec", "-i", "shell", "-n", ns, "--", "sh", "-c", "cat; echo to-stderr >&2; exit 3");

        Assert.Equal((3, "hi\n"), (result.ExitCode, result.Stdout));
        Assert.Contains("to-stderr", result.Stderr, StringComparison.Ordinal);
        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Attach_WithStdin_ContainerReadsAndEchoes()
    {
        var output = await _pods.AttachToEchoPodAsync(SpdyKubectl);

        Assert.Contains("got:hello", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PortForward_NginxAnswersOnTheLocalPort()
    {
        var ns = await _pods.StartAsync();
        await _pods.ApplyPodAsync(ns, "web", """
            containers:
            - name: nginx
              image: nginx:alpine
              imagePullPolicy: IfNotPresent
              ports:
              - containerPort: 80
            """);
        using var forward = SpdyKubectl.Start("port-forward", "-n", ns, "pod/web", ":80");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await forward.StandardOutput.ReadLineAsync(timeout.Token) ?? "";
            var port = ForwardingLine().Match(line).Groups["port"].Value;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

            var page = await RealNodePods.EventuallyAsync(() => GetAsync(http, new Uri($"http://127.0.0.1:{port}/")), page => page.Length > 0);

            Assert.Contains("Welcome to nginx!", page, StringComparison.Ordinal);
        }
        finally
        {
            forward.Kill(entireProcessTree: true);
        }

        await _pods.DeleteNamespaceAsync(ns);
    }

    private static string Busybox(string command) => $$"""
        containers:
        - name: main
          image: busybox
          imagePullPolicy: IfNotPresent
          command: {{command}}
        """;

    private static async Task<string> GetAsync(HttpClient http, Uri url)
    {
        try
        {
            return await http.GetStringAsync(url);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"Forwarding from 127\.0\.0\.1:(?<port>\d+) -> 80")]
    private static partial Regex ForwardingLine();
}
