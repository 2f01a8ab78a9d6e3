namespace Timonel.IntegrationTests.Node;

/// <summary>
/// The manifests of the user's notes on a real node: containers on containerd and runc, pod networking through CNI,
/// and the real kubectl's exec, logs, port-forward and cp through the API server to the agent.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class RealNodeTests
{
    private const string BusyboxSleeper = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: sleeper
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox
            imagePullPolicy: IfNotPresent
            command: ["sleep", "3600"]
        """;

    private readonly RealNodeFixture _node;

    public RealNodeTests(RealNodeFixture node) => _node = node;

    private Kubectl Kubectl => _node.Kubectl;

    [SkippableFact]
    public async Task Pod02_EnvFromValueAndHostIP_SeenByExec()
    {
        var ns = await StartAsync();
        await ApplyAndWaitReadyAsync(ns, "02-pod-env-resources-probes.yaml", "pod/nginx");

        var env = (await Kubectl.RunAsync("exec", "nginx", "-n", ns, "--", "env")).EnsureSuccess().Stdout;

        Assert.Contains("MI_VARIABLE=pelado\n", env, StringComparison.Ordinal);
        Assert.Contains($"DD_AGENT_HOST={_node.NodeIP}\n", env, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Pod11_ConfigMapEnvAndFiles()
    {
        var ns = await StartAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("10-configmap.yaml"))).EnsureSuccess();
        await ApplyAndWaitReadyAsync(ns, "11-pod-configmap.yaml", "pod/nginx");

        var env = (await Kubectl.RunAsync("exec", "nginx", "-n", ns, "--", "env")).EnsureSuccess().Stdout;
        var files = (await Kubectl.RunAsync("exec", "nginx", "-n", ns, "--", "ls", "/config")).EnsureSuccess().Stdout;
        var game = (await Kubectl.RunAsync("exec", "nginx", "-n", ns, "--", "cat", "/config/game.properties")).EnsureSuccess().Stdout;

        Assert.Contains("PLAYER_INITIAL_LIVES=3\n", env, StringComparison.Ordinal);
        Assert.Equal(["game.properties", "user-interface.properties"], files.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("enemy.types=aliens,monsters", game, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task ConfigMapUpdate_ReachesTheRunningPodsFiles()
    {
        var ns = await StartAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("10-configmap.yaml"))).EnsureSuccess();
        await ApplyAndWaitReadyAsync(ns, "11-pod-configmap.yaml", "pod/nginx");

        (await Kubectl.RunAsync("patch", "configmap", "game-demo", "-n", ns, "--type=merge", "-p", """{"data":{"game.properties":"enemy.types=robots\n"}}""")).EnsureSuccess();
        var game = await EventuallyAsync(
            async () => (await Kubectl.RunAsync("exec", "nginx", "-n", ns, "--", "cat", "/config/game.properties")).Stdout,
            s => s.Contains("robots", StringComparison.Ordinal),
            TimeSpan.FromSeconds(75));

        Assert.Equal("enemy.types=robots\n", game);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Pod15_SecretEnv()
    {
        var ns = await StartAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("12-secret.yaml"))).EnsureSuccess();
        await ApplyAndWaitReadyAsync(ns, "15-pod-secret.yaml", "pod/nginx");

        var env = (await Kubectl.RunAsync("exec", "nginx", "-n", ns, "--", "env")).EnsureSuccess().Stdout;

        Assert.Contains("MYSQL_USER=admin\n", env, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Logs_ShowNginxAccessLogAfterARequest()
    {
        var ns = await StartAsync();
        await ApplyAndWaitReadyAsync(ns, "01-pod.yaml", "pod/nginx");

        // A 404 for the path, which nginx logs all the same.
        await Kubectl.RunAsync("exec", "nginx", "-n", ns, "--", "wget", "-q", "-O", "-", "http://127.0.0.1/from-test");
        var logs = await EventuallyAsync(async () => (await Kubectl.RunAsync("logs", "nginx", "-n", ns)).Stdout, s => s.Contains("GET /from-test", StringComparison.Ordinal));

        Assert.Contains("GET /from-test", logs, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Exec_ExitCodeOfTheCommand_IsKubectlsExitCode()
    {
        var ns = await StartAsync();
        (await Kubectl.RunWithInputAsync(BusyboxSleeper, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        await WaitAsync(ns, "pod/sleeper", "condition=Ready");

        var result = await Kubectl.RunAsync("exec", "sleeper", "-n", ns, "--", "sh", "-c", "echo out; echo err >&2; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Contains("err", result.Stderr, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Deployment03_DeletedPodIsReplacedByARunningOne()
    {
        var ns = await StartAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("03-deployment.yaml"))).EnsureSuccess();
        await RolloutAsync(ns, "deployment/nginx-deployment");
        var first = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "jsonpath={.items[0].metadata.name}")).EnsureSuccess().Stdout;

        (await Kubectl.RunAsync("delete", "pod", first, "-n", ns, "--wait=true", "--timeout=60s")).EnsureSuccess();
        await RolloutAsync(ns, "deployment/nginx-deployment");
        var running = (await Kubectl.RunAsync("get", "pods", "-n", ns, "--field-selector=status.phase=Running", "-o", "name")).EnsureSuccess().Stdout;

        Assert.Equal(2, running.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(first, running, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Pods_ReachEachOthersPodIPs()
    {
        var ns = await StartAsync();
        (await Kubectl.RunAsync("run", "hello", "-n", ns, "--image=gcr.io/google-samples/hello-app:1.0", "--port=8080")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(BusyboxSleeper, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        await WaitAsync(ns, "pod/hello", "condition=Ready");
        await WaitAsync(ns, "pod/sleeper", "condition=Ready");
        var ip = (await Kubectl.RunAsync("get", "pod", "hello", "-n", ns, "-o", "jsonpath={.status.podIP}")).EnsureSuccess().Stdout;

        var answer = (await Kubectl.RunAsync("exec", "sleeper", "-n", ns, "--", "wget", "-q", "-O", "-", $"http://{ip}:8080/")).EnsureSuccess().Stdout;

        Assert.StartsWith("10.42.", ip, StringComparison.Ordinal);
        Assert.Equal("Hello, world!\nVersion: 1.0.0\nHostname: hello\n", answer);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task FailingLivenessProbe_RestartsTheContainer()
    {
        var ns = await StartAsync();
        const string Pod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: unhealthy
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox
                command: ["sleep", "3600"]
                livenessProbe:
                  exec:
                    command: ["cat", "/no/such/file"]
                  periodSeconds: 1
                  failureThreshold: 1
            """;
        (await Kubectl.RunWithInputAsync(Pod, "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var restarts = await EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pod", "unhealthy", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].restartCount}")).Stdout,
            s => int.TryParse(s, out var n) && n >= 1);
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector=involvedObject.name=unhealthy", "-o", "jsonpath={.items[*].reason}")).EnsureSuccess().Stdout;

        Assert.True(int.Parse(restarts, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains("Unhealthy", events, StringComparison.Ordinal);
        Assert.Contains("Killing", events, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task ContainerOverItsMemoryLimit_IsOOMKilled()
    {
        var ns = await StartAsync();
        const string Pod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: hungry
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: busybox
                command: ["tail", "/dev/zero"]
                resources:
                  limits:
                    memory: 16Mi
            """;
        (await Kubectl.RunWithInputAsync(Pod, "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var reason = await EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pod", "hungry", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].state.terminated.reason}")).Stdout,
            s => s.Length > 0);

        Assert.Equal("OOMKilled", reason);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task CrashingContainer_GoesToCrashLoopBackOff()
    {
        var ns = await StartAsync();
        (await Kubectl.RunAsync("run", "crasher", "-n", ns, "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sh", "-c", "exit 1")).EnsureSuccess();

        var reason = await EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pod", "crasher", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}")).Stdout,
            s => s == "CrashLoopBackOff");

        Assert.Equal("CrashLoopBackOff", reason);
        var table = (await Kubectl.RunAsync("get", "pod", "crasher", "-n", ns)).EnsureSuccess().Stdout;
        Assert.Contains("CrashLoopBackOff", table, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task PortForward_ServesNginxOnALocalPort()
    {
        var ns = await StartAsync();
        await ApplyAndWaitReadyAsync(ns, "01-pod.yaml", "pod/nginx");
        var port = FreeLocalPort();
        using var forward = Kubectl.Start("port-forward", "-n", ns, "pod/nginx", $"{port}:80");
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var page = await EventuallyAsync(
                async () =>
                {
                    try
                    {
                        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
                    }
                    catch (HttpRequestException)
                    {
                        return "";
                    }
                },
                s => s.Length > 0);

            Assert.Contains("Welcome to nginx!", page, StringComparison.Ordinal);
        }
        finally
        {
            forward.Kill();
        }

        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Cp_CopiesAFileInAndOut()
    {
        var ns = await StartAsync();
        (await Kubectl.RunWithInputAsync(BusyboxSleeper, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        await WaitAsync(ns, "pod/sleeper", "condition=Ready");
        var local = Path.Combine(Path.GetTempPath(), "timonel-cp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(local);
        await File.WriteAllTextAsync(Path.Combine(local, "in.txt"), "hola desde afuera\n");

        (await Kubectl.RunAsync("cp", Path.Combine(local, "in.txt"), $"{ns}/sleeper:/tmp/in.txt")).EnsureSuccess();
        var inside = (await Kubectl.RunAsync("exec", "sleeper", "-n", ns, "--", "cat", "/tmp/in.txt")).EnsureSuccess().Stdout;
        (await Kubectl.RunAsync("exec", "sleeper", "-n", ns, "--", "sh", "-c", "echo hola desde adentro > /tmp/out.txt")).EnsureSuccess();
        (await Kubectl.RunAsync("cp", $"{ns}/sleeper:/tmp/out.txt", Path.Combine(local, "out.txt"))).EnsureSuccess();

        Assert.Equal("hola desde afuera\n", inside);
        Assert.Equal("hola desde adentro\n", await File.ReadAllTextAsync(Path.Combine(local, "out.txt")));
        Directory.Delete(local, recursive: true);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableTheory]
    [InlineData("01-pod.yaml", "pod/nginx")]
    [InlineData("02-pod-env-resources-probes.yaml", "pod/nginx")]
    [InlineData("03-deployment.yaml", "deployment/nginx-deployment")]
    [InlineData("04-daemonset.yaml", "daemonset/nginx-deployment")]
    [InlineData("09-ingress-backends.yaml", "deployment/hello-v1 deployment/hello-v2")]
    public async Task Example_RunsReady(string example, string workload)
    {
        var ns = await StartAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File(example))).EnsureSuccess();

        if (workload.StartsWith("pod/", StringComparison.Ordinal))
        {
            await WaitAsync(ns, workload, "condition=Ready");
        }
        else
        {
            foreach (var each in workload.Split(' '))
            {
                await RolloutAsync(ns, each);
            }
        }

        var phases = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "jsonpath={.items[*].status.phase}")).EnsureSuccess().Stdout;
        Assert.All(phases.Split(' ', StringSplitOptions.RemoveEmptyEntries), phase => Assert.Equal("Running", phase));
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task ExecInteractive_UnderARealTerminal()
    {
        var ns = await StartAsync();
        Skip.If(!File.Exists("/usr/bin/tmux"), "tmux is not installed (apt-get install tmux)");
        await ApplyAndWaitReadyAsync(ns, "01-pod.yaml", "pod/nginx");
        var session = "timonel-" + ns;
        var kubeconfig = Path.Combine(_node.DataDir, "kubeconfig.yaml");
        await RunAsync("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30", $"env KUBECONFIG={kubeconfig} kubectl exec -it nginx -n {ns} -- sh");
        try
        {
            var prompt = await EventuallyAsync(() => RunAsync("tmux", "capture-pane", "-p", "-t", session), s => s.Contains('#', StringComparison.Ordinal));
            // Both lines come back in one screen; the shell may print them a moment apart.
            await RunAsync("tmux", "send-keys", "-t", session, "echo answer=$((6*7)); stty size", "Enter");
            var screen = await EventuallyAsync(() => RunAsync("tmux", "capture-pane", "-p", "-t", session), s => s.Contains("answer=42", StringComparison.Ordinal) && s.Contains("30 120", StringComparison.Ordinal));

            Assert.Contains("#", prompt, StringComparison.Ordinal);
            Assert.Contains("answer=42", screen, StringComparison.Ordinal);
            Assert.Contains("30 120", screen, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync("tmux", "kill-session", "-t", session);
        }

        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task AgentKilledAndRestarted_AdoptsRunningContainersWithoutRestartingThem()
    {
        var ns = await StartAsync();
        (await Kubectl.RunWithInputAsync(BusyboxSleeper, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        await WaitAsync(ns, "pod/sleeper", "condition=Ready");
        const string Status = "jsonpath={.status.containerStatuses[0].containerID} {.status.containerStatuses[0].restartCount}";
        var before = (await Kubectl.RunAsync("get", "pod", "sleeper", "-n", ns, "-o", Status)).EnsureSuccess().Stdout;

        await _node.KillAndRestartAsync();
        // A few relists and a resync of the adopted pod.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = (await Kubectl.RunAsync("get", "pod", "sleeper", "-n", ns, "-o", Status)).EnsureSuccess().Stdout;
        var ready = await Kubectl.RunAsync("wait", "-n", ns, "pod/sleeper", "--for=condition=Ready", "--timeout=30s");

        Assert.EndsWith(" 0", before, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.Equal(0, ready.ExitCode);
        await DeleteNamespaceAsync(ns);
    }

    private async Task<string> StartAsync()
    {
        Skip.If(_node.SkipReason is not null, _node.SkipReason);
        return await _node.CreateNamespaceAsync();
    }

    private async Task ApplyAndWaitReadyAsync(string ns, string example, string target)
    {
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File(example))).EnsureSuccess();
        await WaitAsync(ns, target, "condition=Ready");
    }

    private async Task WaitAsync(string ns, string target, string condition)
    {
        var result = await Kubectl.RunAsync("wait", "-n", ns, target, "--for=" + condition, "--timeout=50s");
        if (result.ExitCode != 0)
        {
            Assert.Fail($"{target} not {condition}: {result}\n{await DiagnosisAsync(ns, target)}");
        }
    }

    private async Task RolloutAsync(string ns, string workload)
    {
        var result = await Kubectl.RunAsync("rollout", "status", workload, "-n", ns, "--timeout=120s");
        if (result.ExitCode != 0)
        {
            Assert.Fail($"{workload} not rolled out: {result}\n{await DiagnosisAsync(ns, workload)}");
        }
    }

    /// <summary>What a person would look at when a wait fails: the target, its namespace's pods and events, and the server's last lines.</summary>
    private async Task<string> DiagnosisAsync(string ns, string target)
    {
        var describe = await Kubectl.RunAsync("describe", "-n", ns, target);
        var pods = await Kubectl.RunAsync("describe", "pods", "-n", ns);
        var events = await Kubectl.RunAsync("get", "events", "-n", ns, "--sort-by=.lastTimestamp");
        var output = _node.Server.Output.Split('\n');
        return $"{describe.Stdout}\n--- pods\n{pods.Stdout}\n--- events\n{events.Stdout}\n--- server, last lines\n{string.Join('\n', output.TakeLast(150))}";
    }

    private async Task DeleteNamespaceAsync(string ns) =>
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();

    /// <summary>Polls until the value satisfies the check (at most 60 s unless told); answers the last value read.</summary>
    private static async Task<string> EventuallyAsync(Func<Task<string>> read, Func<string, bool> check, TimeSpan? patience = null)
    {
        var value = "";
        for (var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60)); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            value = await read();
            if (check(value))
            {
                return value;
            }
        }

        return value;
    }

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    private static int FreeLocalPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
