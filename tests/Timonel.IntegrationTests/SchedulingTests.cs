using System.Text.Json;

namespace Timonel.IntegrationTests;

/// <summary>
/// Pods find nodes as on a real cluster: the scheduler places them on simulated nodes, the nodes report them Running
/// and Ready, and a pod that fits nowhere stays Pending with upstream's condition, message and event. Driven by the
/// real kubectl against <c>timonel server --simulated-nodes 3</c>. Tests that change nodes (taints, cordon, drain)
/// put them back; xUnit runs one class's tests one after another.
/// </summary>
public sealed class SchedulingTests : IClassFixture<SimulatedClusterFixture>
{
    private readonly SimulatedClusterFixture _fixture;

    public SchedulingTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task GetNodes_ThreeSimulatedNodes_AllReady()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var table = (await Kubectl.RunAsync("get", "nodes", "--no-headers")).EnsureSuccess().Stdout;
        var wide = (await Kubectl.RunAsync("get", "nodes", "-o", "wide")).EnsureSuccess().Stdout;

        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(SimulatedClusterFixture.NodeNames, rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal("Ready", r[1]));
        Assert.StartsWith("NAME", wide, StringComparison.Ordinal);
        foreach (var column in new[] { "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME" })
        {
            Assert.Contains(column, wide, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task ApplyExample01_Pod_IsScheduledAndRunsWithAScheduledEvent()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunAsync("apply", "-n", ns, "-f", ExamplePath("01-pod.yaml"))).EnsureSuccess();
        var running = await SimulatedClusterFixture.WaitAsync(Kubectl, "pod/nginx", "--for=jsonpath={.status.phase}=Running", ns);
        var pod = await PodAsync(ns, "nginx");
        var describe = (await Kubectl.RunAsync("describe", "pod", "nginx", "-n", ns)).EnsureSuccess().Stdout;

        Assert.True(running.ExitCode == 0, running.ToString());
        var node = pod.GetProperty("spec").GetProperty("nodeName").GetString();
        Assert.Contains(node, SimulatedClusterFixture.NodeNames);
        Assert.False(string.IsNullOrEmpty(pod.GetProperty("status").GetProperty("podIP").GetString()));
        Assert.Equal("True", Condition(pod, "PodScheduled"));
        Assert.Equal("True", Condition(pod, "Ready"));
        Assert.Matches($@"Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned {ns}/nginx to {node}", describe);
    }

    [SkippableFact]
    public async Task ApplyExample02_ReadinessProbe_ReadyOnlyAfterInitialDelay()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunAsync("apply", "-n", ns, "-f", ExamplePath("02-pod-env-resources-probes.yaml"))).EnsureSuccess();
        var ready = await SimulatedClusterFixture.WaitAsync(Kubectl, "pod/nginx", "--for=condition=Ready", ns);
        var pod = await PodAsync(ns, "nginx");

        Assert.True(ready.ExitCode == 0, ready.ToString());
        // The example's readiness probe waits 5 s before its first check: Ready turns True no sooner.
        var started = pod.GetProperty("status").GetProperty("startTime").GetDateTimeOffset();
        var readySince = ConditionTime(pod, "Ready");
        Assert.True(readySince - started >= TimeSpan.FromSeconds(5), $"Ready at {readySince:O}, started at {started:O}");
    }

    [SkippableFact]
    public async Task Pod_RequestingMoreCpuThanAnyNode_StaysPendingWithUpstreamsMessageAndEvent()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(PodYaml("huge", "    resources:\n      requests:\n        cpu: \"100\"\n"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var message = await PendingMessageAsync(ns, "huge");
        var events = await FailedSchedulingEventAsync(ns, "huge");

        // Upstream 1.32's text, double full stop included: FitError adds " %v." after a preemption message that already
        // ends in one (pkg/scheduler/framework/types.go).
        const string Expected = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..";
        Assert.Equal(Expected, message);
        Assert.Contains(Expected, events, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task NodeSelectorAndAffinity_SteerPodsToTheNamedNode()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(PodYaml("selected", spec: "  nodeSelector:\n    kubernetes.io/hostname: sim-2\n"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(PodYaml("affine", spec: """
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                    - matchExpressions:
                      - key: kubernetes.io/hostname
                        operator: In
                        values: [sim-1]

            """), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(PodYaml("nowhere", spec: "  nodeSelector:\n    disktype: ssd\n"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        Assert.Equal("sim-2", await ScheduledNodeAsync(ns, "selected"));
        Assert.Equal("sim-1", await ScheduledNodeAsync(ns, "affine"));
        Assert.Equal(
            "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
            await PendingMessageAsync(ns, "nowhere"));
    }

    [SkippableFact]
    public async Task Taints_KeepPodsAwayUnlessTolerated()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        try
        {
            foreach (var node in SimulatedClusterFixture.NodeNames)
            {
                (await Kubectl.RunAsync("taint", "nodes", node, "dedicated=db:NoSchedule")).EnsureSuccess();
            }

            (await Kubectl.RunWithInputAsync(PodYaml("intolerant"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            (await Kubectl.RunWithInputAsync(PodYaml("tolerant", spec: "  tolerations:\n  - key: dedicated\n    operator: Equal\n    value: db\n    effect: NoSchedule\n"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

            Assert.Contains(await ScheduledNodeAsync(ns, "tolerant"), SimulatedClusterFixture.NodeNames);
            Assert.Equal(
                "0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: db}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
                await PendingMessageAsync(ns, "intolerant"));
        }
        finally
        {
            foreach (var node in SimulatedClusterFixture.NodeNames)
            {
                await Kubectl.RunAsync("taint", "nodes", node, "dedicated=db:NoSchedule-");
            }
        }

        // Untainted, the waiting pod is moved back to the active queue by the node update and placed.
        Assert.Contains(await ScheduledNodeAsync(ns, "intolerant"), SimulatedClusterFixture.NodeNames);
    }

    [SkippableFact]
    public async Task HostPort_OnePodPerNode_TheFourthWaits()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        var ports = "    ports:\n    - containerPort: 80\n      hostPort: 18080\n";

        foreach (var i in Enumerable.Range(0, 3))
        {
            (await Kubectl.RunWithInputAsync(PodYaml($"web-{i}", ports), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        }

        var nodes = new List<string?>();
        foreach (var i in Enumerable.Range(0, 3))
        {
            nodes.Add(await ScheduledNodeAsync(ns, $"web-{i}"));
        }

        (await Kubectl.RunWithInputAsync(PodYaml("web-3", ports), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        Assert.Equal(SimulatedClusterFixture.NodeNames.Order(), nodes.Order());
        Assert.Equal(
            "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..",
            await PendingMessageAsync(ns, "web-3"));
    }

    [SkippableFact]
    public async Task CordonThenDrain_NoNewPodsThenNodeEmptied()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        try
        {
            (await Kubectl.RunWithInputAsync(PodYaml("before", spec: "  nodeSelector:\n    kubernetes.io/hostname: sim-0\n"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            Assert.Equal("sim-0", await ScheduledNodeAsync(ns, "before"));
            (await Kubectl.RunAsync("cordon", "sim-0")).EnsureSuccess();
            var status = (await Kubectl.RunAsync("get", "node", "sim-0", "--no-headers")).EnsureSuccess().Stdout;
            (await Kubectl.RunWithInputAsync(PodYaml("after", spec: "  nodeSelector:\n    kubernetes.io/hostname: sim-0\n"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            var waiting = await PendingMessageAsync(ns, "after");

            var drain = await Kubectl.RunAsync("drain", "sim-0", "--force", "--ignore-daemonsets", "--timeout=60s");
            var left = (await Kubectl.RunAsync("get", "pods", "-A", "--field-selector=spec.nodeName=sim-0", "-o", "name")).EnsureSuccess().Stdout;

            Assert.Contains("Ready,SchedulingDisabled", status, StringComparison.Ordinal);
            Assert.Equal(
                "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
                waiting);
            Assert.True(drain.ExitCode == 0, drain.ToString());
            Assert.Contains($"pod/before evicted", drain.Stdout, StringComparison.Ordinal);
            Assert.Equal("", left.Trim());
        }
        finally
        {
            await Kubectl.RunAsync("uncordon", "sim-0");
        }

        // Uncordoned, the node takes the waiting pod.
        Assert.Equal("sim-0", await ScheduledNodeAsync(ns, "after"));
    }

    private static string ExamplePath(string name) => Path.Combine(ServerProcess.RepoRoot!, "examples", name);

    private static string PodYaml(string name, string container = "", string spec = "") =>
        $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{spec}  containers:\n  - name: main\n    image: nginx:alpine\n{container}";

    private async Task<string> CreateNamespaceAsync()
    {
        var name = "sched-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", name)).EnsureSuccess();
        return name;
    }

    private async Task<JsonElement> PodAsync(string ns, string name) =>
        JsonDocument.Parse((await Kubectl.RunAsync("get", "pod", name, "-n", ns, "-o", "json")).EnsureSuccess().Stdout).RootElement;

    /// <summary>The node a pod is bound to once it runs there (null when it never does within a minute).</summary>
    private async Task<string?> ScheduledNodeAsync(string ns, string name)
    {
        var running = await SimulatedClusterFixture.WaitAsync(Kubectl, "pod/" + name, "--for=jsonpath={.status.phase}=Running", ns);
        return running.ExitCode == 0 ? (await PodAsync(ns, name)).GetProperty("spec").GetProperty("nodeName").GetString() : null;
    }

    /// <summary>The message of a pod's PodScheduled=False condition, once the scheduler has given up on it for now.</summary>
    private async Task<string> PendingMessageAsync(string ns, string name) =>
        await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pod", name, "-n", ns, "-o", """jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}""")).Stdout,
            message => message.Length > 0);

    private async Task<string> FailedSchedulingEventAsync(string ns, string name) =>
        await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "events", "-n", ns, $"--field-selector=involvedObject.name={name},reason=FailedScheduling", "-o", "jsonpath={.items[*].message}")).Stdout,
            message => message.Length > 0);

    private static string? Condition(JsonElement pod, string type) =>
        pod.GetProperty("status").GetProperty("conditions").EnumerateArray().Where(c => c.GetProperty("type").GetString() == type).Select(c => c.GetProperty("status").GetString()).FirstOrDefault();

    private static DateTimeOffset ConditionTime(JsonElement pod, string type) =>
        pod.GetProperty("status").GetProperty("conditions").EnumerateArray().Single(c => c.GetProperty("type").GetString() == type).GetProperty("lastTransitionTime").GetDateTimeOffset();
}
