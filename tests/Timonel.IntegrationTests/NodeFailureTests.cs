namespace Timonel.IntegrationTests;

/// <summary>
/// Node failure as a user sees it through the real kubectl: a <c>timonel agent</c> process killed with kill -9 leaves
/// its nodes Unknown and tainted unreachable after the 40 s grace period, its pods are evicted once their
/// tolerationSeconds run out and replaced on the server's live nodes, and an out-of-service taint lets the pod GC
/// clear the pods stuck terminating there; <c>kubectl drain</c> is held back by a PodDisruptionBudget.
/// </summary>
public sealed class NodeFailureTests : IClassFixture<NodeFailureFixture>
{
    private const string TolerantYaml = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: tolerant
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: tolerant
          template:
            metadata:
              labels:
                app: tolerant
            spec:
              tolerations:
              - key: node.kubernetes.io/unreachable
                operator: Exists
                effect: NoExecute
                tolerationSeconds: 5
              - key: node.kubernetes.io/not-ready
                operator: Exists
                effect: NoExecute
                tolerationSeconds: 5
              containers:
              - name: web
                image: nginx
        """;

    private const string GuardedYaml = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: guarded
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: guarded
          template:
            metadata:
              labels:
                app: guarded
            spec:
              nodeName: sim-1
              containers:
              - name: db
                image: postgres
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: guarded
        spec:
          minAvailable: 1
          selector:
            matchLabels:
              app: guarded
        """;

    private readonly NodeFailureFixture _fixture;

    public NodeFailureTests(NodeFailureFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task AgentKilled_NodesUnreachablePodsEvictedAndReplacedOnLiveNodes()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync("nodefail");
        // Cordoning the server's own nodes sends the first pods to the agent's.
        try
        {
            (await Kubectl.RunAsync(["cordon", .. NodeFailureFixture.ServerNodes])).EnsureSuccess();
            (await Kubectl.RunWithInputAsync(TolerantYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            (await SimulatedClusterFixture.WaitAsync(Kubectl, "rs/tolerant", "--for=jsonpath={.status.readyReplicas}=2", ns)).EnsureSuccess();
        }
        finally
        {
            await Kubectl.RunAsync(["uncordon", .. NodeFailureFixture.ServerNodes]);
        }

        var first = await PodsAsync(ns, "tolerant");
        Assert.All(first, p => Assert.StartsWith("agent-", p.Node, StringComparison.Ordinal));

        await _fixture.KillAgentAsync();
        var unreachable = await PollAsync(
            async () => (await Kubectl.RunAsync("get", "node", "agent-0", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {range .spec.taints[*]}{.key}:{.effect} {end}")).EnsureSuccess().Stdout.Trim(),
            s => s.StartsWith("Unknown", StringComparison.Ordinal) && s.Contains("node.kubernetes.io/unreachable:NoExecute", StringComparison.Ordinal),
            TimeSpan.FromSeconds(120));
        var after = await PollAsync(
            async () => await PodsAsync(ns, "tolerant"),
            pods => pods.Count(p => !p.Terminating) == 2 && pods.Where(p => !p.Terminating).All(p => p.Node.StartsWith("sim-", StringComparison.Ordinal))
                && first.All(f => pods.Any(p => p.Name == f.Name && p.Terminating)),
            TimeSpan.FromSeconds(60));
        var evictions = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "reason=TaintManagerEviction", "-o", "jsonpath={range .items[*]}{.source.component}: {.message}{\"\\n\"}{end}")).EnsureSuccess().Stdout;

        Assert.Equal("Unknown node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute", unreachable);
        Assert.All(first, f => Assert.Contains(after, p => p.Name == f.Name && p.Terminating));
        Assert.Equal(2, after.Count(p => !p.Terminating));
        Assert.All(after.Where(p => !p.Terminating), p => Assert.StartsWith("sim-", p.Node, StringComparison.Ordinal));
        Assert.All(first, f => Assert.Contains($"taint-eviction-controller: Marking for deletion Pod {ns}/{f.Name}", evictions, StringComparison.Ordinal));

        // No kubelet will ever finish the pods stuck terminating on the dead nodes, until an administrator says the
        // nodes are out of service: then the pod GC force-deletes them.
        foreach (var node in NodeFailureFixture.AgentNodes)
        {
            (await Kubectl.RunAsync("taint", "node", node, "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute")).EnsureSuccess();
        }

        var cleared = await PollAsync(async () => await PodsAsync(ns, "tolerant"), pods => !pods.Any(p => p.Terminating), TimeSpan.FromSeconds(60));

        Assert.DoesNotContain(cleared, p => first.Any(f => f.Name == p.Name));
        Assert.Equal(2, cleared.Count);
    }

    [SkippableFact]
    public async Task Drain_PodGuardedByADisruptionBudget_EvictionRefusedAndRetried()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync("drain");
        (await Kubectl.RunWithInputAsync(GuardedYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await SimulatedClusterFixture.WaitAsync(Kubectl, "rs/guarded", "--for=jsonpath={.status.readyReplicas}=1", ns)).EnsureSuccess();
        var pod = Assert.Single(await PodsAsync(ns, "guarded"));
        // Until the disruption controller has written the budget's status the API server answers evictions 429 with
        // Retry-After 10 s, which kubectl's client waits out before drain sees a refusal: wait for the controller.
        var budget = await SimulatedClusterFixture.WaitAsync(Kubectl, "pdb/guarded", "--for=jsonpath={.status.currentHealthy}=1", ns);
        var status = (await Kubectl.RunAsync("get", "pdb", "guarded", "-n", ns, "-o", "jsonpath={.status.observedGeneration} {.status.expectedPods} {.status.desiredHealthy} {.status.disruptionsAllowed} {.status.conditions[?(@.type==\"DisruptionAllowed\")].reason}")).EnsureSuccess().Stdout;

        Assert.True(budget.ExitCode == 0, budget.ToString());
        Assert.Equal("1 1 1 0 InsufficientPods", status);

        KubectlResult drain;
        try
        {
            // kubectl drain retries a refused eviction every 5 s: two or three tries before its timeout.
            drain = await Kubectl.RunAsync("drain", "sim-1", "--ignore-daemonsets", "--timeout=12s");
        }
        finally
        {
            await Kubectl.RunAsync("uncordon", "sim-1");
        }

        var refusal = $"error when evicting pods/\"{pod.Name}\" -n \"{ns}\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.";
        var refusals = drain.Stderr.Split('\n').Count(line => line.Trim() == refusal);
        var still = await PodsAsync(ns, "guarded");

        Assert.NotEqual(0, drain.ExitCode);
        Assert.True(refusals >= 2, drain.ToString());
        Assert.Equal([pod], still);
    }

    /// <summary>Polls <paramref name="read"/> once a second until <paramref name="done"/> accepts its answer or the time is up; the last answer either way.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await read();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            last = await read();
        }

        return last;
    }

    private async Task<string> CreateNamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }

    private async Task<List<PodPlacement>> PodsAsync(string ns, string app)
    {
        var output = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=" + app, "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp}{\"\\n\"}{end}")).EnsureSuccess().Stdout;
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(f => new PodPlacement(f[0], f.Length > 1 ? f[1] : "", f.Length > 2))];
    }
}
