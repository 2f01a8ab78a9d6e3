using System.Text.RegularExpressions;

namespace Timonel.IntegrationTests;

/// <summary>
/// Priority preemption and disruption budgets on <c>timonel server --simulated-nodes 3</c>, through the real kubectl:
/// a pod of a higher PriorityClass that fits nowhere evicts a lower-priority pod, is nominated to its node and runs
/// there; a PodDisruptionBudget that allows no disruption holds <c>kubectl drain</c> back, one that allows them lets
/// it through.
/// </summary>
public sealed class PreemptionTests : IClassFixture<SimulatedClusterFixture>
{
    private readonly SimulatedClusterFixture _fixture;

    public PreemptionTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task CreatePod_HigherPriorityOnAFullCluster_PreemptsAVictimAndRunsOnItsNode()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = "pre-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        try
        {
            (await Kubectl.RunWithInputAsync(PriorityClasses(ns), "apply", "-f", "-")).EnsureSuccess();

            // Every node (4 cpu) holds one low-priority pod of 3 cpu: a pod of 2 cpu fits nowhere.
            var lows = string.Join("\n---\n", SimulatedClusterFixture.NodeNames.Select((_, i) => PodYaml($"low-{i}", $"low-{ns}", "3", "low")));
            (await Kubectl.RunWithInputAsync(lows, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            (await Kubectl.RunAsync("wait", "pods", "-l", "tier=low", "--for=condition=Ready", "--timeout=60s", "-n", ns)).EnsureSuccess();
            var lowPriority = (await Kubectl.RunAsync("get", "pod", "low-0", "-n", ns, "-o", "jsonpath={.spec.priority} {.spec.preemptionPolicy}")).EnsureSuccess().Stdout;

            (await Kubectl.RunWithInputAsync(PodYaml("high", $"high-{ns}", "2", "high"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            var running = await SimulatedClusterFixture.WaitAsync(Kubectl, "pod/high", "--for=condition=Ready", ns);
            var placed = (await Kubectl.RunAsync("get", "pod", "high", "-n", ns, "-o", "jsonpath={.metadata.uid} {.spec.nodeName} {.status.nominatedNodeName} {.spec.priority}")).EnsureSuccess().Stdout.Split(' ');
            var wide = (await Kubectl.RunAsync("get", "pod", "high", "-n", ns, "-o", "wide")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var lowsLeft = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "tier=low", "-o", "jsonpath={.items[*].spec.nodeName}")).EnsureSuccess().Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var preempted = await SimulatedClusterFixture.EventuallyAsync(
                async () => (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "reason=Preempted", "-o", "jsonpath={.items[*].message}")).EnsureSuccess().Stdout,
                text => text.Length > 0);

            Assert.Equal("10 PreemptLowerPriority", lowPriority);
            Assert.True(running.ExitCode == 0, running.ToString());
            var (uid, node, nominated, priority) = (placed[0], placed[1], placed[2], placed[3]);
            Assert.Equal("1000", priority);
            Assert.Equal(node, nominated);
            Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$", wide[0]);
            Assert.Matches($@"^high\s+1/1\s+Running\s+0\s+\S+\s+\S+\s+{node}\s+{node}\s+<none>$", wide[1]);
            Assert.Equal(2, lowsLeft.Length);
            Assert.DoesNotContain(node, lowsLeft);
            Assert.Equal($"Preempted by pod {uid} on node {node}", preempted);
        }
        finally
        {
            await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false");
            await Kubectl.RunAsync("delete", "priorityclass", $"low-{ns}", $"high-{ns}");
        }
    }

    [SkippableFact]
    public async Task Drain_BudgetAllowsNoDisruption_RefusedThenAllowedOnceTheBudgetAllows()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = "drain-" + Guid.NewGuid().ToString("N")[..8];
        const string Node = "sim-2";
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        try
        {
            (await Kubectl.RunWithInputAsync(GuardedYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            (await SimulatedClusterFixture.WaitAsync(Kubectl, "rs/guarded", "--for=jsonpath={.status.readyReplicas}=2", ns)).EnsureSuccess();
            (await SimulatedClusterFixture.WaitAsync(Kubectl, "pdb/guarded", "--for=jsonpath={.status.currentHealthy}=2", ns)).EnsureSuccess();

            var refused = await Kubectl.RunAsync("drain", Node, "--pod-selector=app=guarded", "--timeout=5s");
            var stillThere = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=guarded", "--field-selector", $"spec.nodeName={Node}", "--no-headers")).EnsureSuccess().Stdout;

            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(2, stillThere.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            (await Kubectl.RunAsync("patch", "pdb", "guarded", "-n", ns, "--type=merge", "-p", """{"spec":{"minAvailable":0}}""")).EnsureSuccess();
            (await SimulatedClusterFixture.WaitAsync(Kubectl, "pdb/guarded", "--for=jsonpath={.status.disruptionsAllowed}=2", ns)).EnsureSuccess();
            var drained = await Kubectl.RunAsync("drain", Node, "--pod-selector=app=guarded", "--timeout=30s");

            Assert.True(drained.ExitCode == 0, drained.ToString());
            Assert.Equal(2, Regex.Count(drained.Stdout, @"pod/guarded-\S+ evicted"));
        }
        finally
        {
            await Kubectl.RunAsync("uncordon", Node);
            await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false");
        }
    }

    // Both pods of a ReplicaSet on one node, and a budget that keeps them both.
    private const string GuardedYaml = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: guarded
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: guarded
          template:
            metadata:
              labels:
                app: guarded
            spec:
              nodeSelector:
                kubernetes.io/hostname: sim-2
              terminationGracePeriodSeconds: 1
              containers:
              - name: c
                image: nginx
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: guarded
        spec:
          minAvailable: 2
          selector:
            matchLabels:
              app: guarded
        """;

    private static string PriorityClasses(string ns) => $"""
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata:
          name: low-{ns}
        value: 10
        ---
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata:
          name: high-{ns}
        value: 1000
        """;

    private static string PodYaml(string name, string priorityClass, string cpu, string tier) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          labels:
            tier: {tier}
        spec:
          priorityClassName: {priorityClass}
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: nginx
            resources:
              requests:
                cpu: "{cpu}"
        """;
}
