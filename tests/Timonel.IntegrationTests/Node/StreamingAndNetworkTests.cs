using System.Net.Http;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// The real kubectl's streams and the node's networking on the shared real node: stdin that ends while output goes
/// on, logs followed, of a previous instance and by label, attach, a hostPort and readiness in a Service's Endpoints.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class StreamingAndNetworkTests
{
    private readonly RealNodeFixture _node;
    private readonly RealNodePods _pods;

    public StreamingAndNetworkTests(RealNodeFixture node)
    {
        _node = node;
        _pods = new RealNodePods(node);
    }

    private Kubectl Kubectl => _node.Kubectl;

    [SkippableFact]
    public async Task ExecWithStdin_InputEnds_OutputAfterItStillArrivesAndExitIsZero()
    {
        var ns = await _pods.StartAsync();
        await RunPodAsync(ns, "shell", "busybox", """["sleep", "3600"]""");

        var result = await Kubectl.RunWithInputAsync("hi\n", "exec", "-i", "shell", "-n", ns, "--", "sh", "-c", "cat; sleep 1; echo after");

        Assert.Equal((0, "hi\nafter\n"), (result.ExitCode, result.Stdout));
        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task LogsFollow_NewLines_Arrive()
    {
        var ns = await _pods.StartAsync();
        await RunPodAsync(ns, "ticker", "busybox", """["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done"]""");
        using var follow = Kubectl.Start("logs", "-f", "ticker", "-n", ns);
        try
        {
            var first = await ReadLineAsync(follow);
            string? later = null;
            for (var lines = 0; lines < 10 && later is null; lines++)
            {
                var line = await ReadLineAsync(follow);
                later = TickOf(line) > TickOf(first) + 1 ? line : null;
            }

            Assert.StartsWith("tick ", first, StringComparison.Ordinal);
            Assert.NotNull(later);
        }
        finally
        {
            follow.Kill(entireProcessTree: true);
        }

        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task LogsPrevious_AfterARestart_ShowsThePreviousInstance()
    {
        var ns = await _pods.StartAsync();
        // The first instance fails; the next ones find the mark in the pod's emptyDir and stay up.
        await _pods.ApplyPodAsync(ns, "phoenix", """
              restartPolicy: OnFailure
              volumes:
              - name: state
                emptyDir: {}
              containers:
              - name: main
                image: busybox
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "if [ -f /state/seen ]; then echo second life; exec sleep 3600; fi; touch /state/seen; echo first life; exit 1"]
                volumeMounts:
                - name: state
                  mountPath: /state
              """);
        // Ready comes first while the first instance still runs (no readiness probe): wait for its replacement.
        await _pods.WaitAsync(ns, "pod/phoenix", "jsonpath={.status.containerStatuses[0].restartCount}=1");
        await _pods.WaitAsync(ns, "pod/phoenix", "condition=Ready");

        var previous = (await Kubectl.RunAsync("logs", "phoenix", "-n", ns, "--previous")).EnsureSuccess().Stdout;
        var current = (await Kubectl.RunAsync("logs", "phoenix", "-n", ns)).EnsureSuccess().Stdout;

        Assert.Equal(("first life\n", "second life\n"), (previous, current));
        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task LogsBySelector_TwoPods_BothOutputs()
    {
        var ns = await _pods.StartAsync();
        await RunPodAsync(ns, "left", "busybox", """["sh", "-c", "echo from left; exec sleep 3600"]""", "app: pair");
        await RunPodAsync(ns, "right", "busybox", """["sh", "-c", "echo from right; exec sleep 3600"]""", "app: pair");

        var logs = (await Kubectl.RunAsync("logs", "-l", "app=pair", "-n", ns)).EnsureSuccess().Stdout;

        Assert.Equal(["from left", "from right"], logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task AttachWithStdin_ContainerReadsAndEchoes()
    {
        var output = await _pods.AttachToEchoPodAsync(Kubectl);

        Assert.Contains("got:hello", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task HostPort_NginxAnswersOnTheNodeAndLoopback()
    {
        var ns = await _pods.StartAsync();
        await _pods.ApplyPodAsync(ns, "web", """
              containers:
              - name: nginx
                image: nginx:alpine
                imagePullPolicy: IfNotPresent
                ports:
                - containerPort: 80
                  hostPort: 18080
              """);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // Ready comes as nginx starts, a moment before it listens.
        Task<string> StatusAsync(string host) => RealNodePods.EventuallyAsync(() => GetStatusAsync(http, new Uri($"http://{host}:18080/")), status => status == "200");

        var onNode = await StatusAsync(_node.NodeIP);
        var onLoopback = await StatusAsync("127.0.0.1");

        Assert.Equal(("200", "200"), (onNode, onLoopback));
        // Waiting for the pod's teardown removes its portmap rule, which would otherwise catch the next run's traffic.
        (await Kubectl.RunAsync("delete", "pod", "web", "-n", ns, "--wait=true", "--timeout=60s")).EnsureSuccess();
        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Readiness_FailingPodOutOfEndpoints_JoinsOnceItPasses()
    {
        var ns = await _pods.StartAsync();
        (await Kubectl.RunWithInputAsync("""
            apiVersion: v1
            kind: Service
            metadata:
              name: gated
            spec:
              selector:
                app: gated
              ports:
              - port: 80
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: gated
              labels:
                app: gated
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox
                imagePullPolicy: IfNotPresent
                command: ["sleep", "3600"]
                readinessProbe:
                  exec:
                    command: ["test", "-f", "/tmp/ready"]
                  periodSeconds: 1
            """, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        await _pods.WaitAsync(ns, "pod/gated", "jsonpath={.status.podIP}");
        var ip = (await Kubectl.RunAsync("get", "pod", "gated", "-n", ns, "-o", "jsonpath={.status.podIP}")).EnsureSuccess().Stdout;
        Task<string> EndpointsAsync() => _pods.ReadAsync(ns, "endpoints", "gated", "jsonpath={.subsets[*].addresses[*].ip}/{.subsets[*].notReadyAddresses[*].ip}");

        var notReady = await RealNodePods.EventuallyAsync(EndpointsAsync, value => value == "/" + ip);
        (await Kubectl.RunAsync("exec", "gated", "-n", ns, "--", "touch", "/tmp/ready")).EnsureSuccess();
        var ready = await RealNodePods.EventuallyAsync(EndpointsAsync, value => value == ip + "/");

        Assert.Equal(("/" + ip, ip + "/"), (notReady, ready));
        await _pods.DeleteNamespaceAsync(ns);
    }

    private Task RunPodAsync(string ns, string name, string image, string command, string labels = "") =>
        _pods.ApplyPodAsync(ns, name, $$"""
            containers:
            - name: main
              image: {{image}}
              imagePullPolicy: IfNotPresent
              command: {{command}}
            """, labels);

    private static async Task<string> GetStatusAsync(HttpClient http, Uri url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    private static async Task<string> ReadLineAsync(System.Diagnostics.Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await process.StandardOutput.ReadLineAsync(timeout.Token) ?? "";
    }

    private static int TickOf(string line) =>
        int.TryParse(line.Replace("tick ", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture, out var tick) ? tick : -1;
}
