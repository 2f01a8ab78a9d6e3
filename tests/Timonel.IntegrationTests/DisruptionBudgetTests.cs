using System.Text.RegularExpressions;

namespace Timonel.IntegrationTests;

/// <summary>
/// The disruption controller on <c>timonel server --simulated-nodes 3</c>, seen through the real kubectl: a
/// PodDisruptionBudget over a ReplicaSet's ready pods shows how many may be disrupted, gives back one an eviction took once the
/// evicted pod is replaced, and follows a scale-down.
/// </summary>
public sealed class DisruptionBudgetTests : IClassFixture<SimulatedClusterFixture>
{
    // ReplicaSetTests' ReplicaSet "web" of 3, and a budget that keeps 2 of its pods.
    private const string GuardedYaml = ReplicaSetTests.ReplicaSetYaml + "\n---\n" + """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: web
        spec:
          minAvailable: 2
          selector:
            matchLabels:
              app: web
        """;

    private readonly SimulatedClusterFixture _fixture;

    public DisruptionBudgetTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task GetPdb_ReplicaSetOfThreeMinAvailableTwo_OneAllowedDisruptionRestoredAfterAnEvictionNoneAfterScaleDown()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = "pdb-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();

        (await Kubectl.RunWithInputAsync(GuardedYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await SimulatedClusterFixture.WaitAsync(Kubectl, "rs/web", "--for=jsonpath={.status.readyReplicas}=3", ns)).EnsureSuccess();
        var allowed = await SimulatedClusterFixture.WaitAsync(Kubectl, "pdb/web", "--for=jsonpath={.status.disruptionsAllowed}=1", ns);
        var table = (await Kubectl.RunAsync("get", "pdb", "-n", ns)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var condition = (await Kubectl.RunAsync("get", "pdb", "web", "-n", ns, "-o", "jsonpath={.status.currentHealthy} {.status.desiredHealthy} {.status.expectedPods} {.status.conditions[?(@.type==\"DisruptionAllowed\")].status} {.status.conditions[?(@.type==\"DisruptionAllowed\")].reason}")).EnsureSuccess().Stdout;

        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Matches(@"^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$", table[0]);
        Assert.Matches(@"^web\s+2\s+N/A\s+1\s+\S+$", Assert.Single(table[1..]));
        Assert.Equal("3 2 3 True SufficientPods", condition);

        // An eviction takes the one allowed disruption; the controller gives it back once the ReplicaSet's replacement
        // is ready, and forgets the evicted pod.
        var evicted = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}")).EnsureSuccess().Stdout;
        var eviction = $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{{evicted}}}","namespace":"{{{ns}}}"}}""";
        var evict = await Kubectl.RunWithInputAsync(eviction, "create", "--raw", $"/api/v1/namespaces/{ns}/pods/{evicted}/eviction", "-f", "-");
        var restored = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pdb", "web", "-n", ns, "-o", "jsonpath={.status.currentHealthy} {.status.disruptionsAllowed} {.status.disruptedPods}")).EnsureSuccess().Stdout.Trim(),
            text => text == "3 1");

        Assert.True(evict.ExitCode == 0, evict.ToString());
        Assert.Equal("3 1", restored);

        (await Kubectl.RunAsync("scale", "rs", "web", "--replicas=2", "-n", ns)).EnsureSuccess();
        var none = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pdb", "web", "-n", ns, "--no-headers")).EnsureSuccess().Stdout.Trim(),
            row => Regex.IsMatch(row, @"^web\s+2\s+N/A\s+0\s"));
        var reason = (await Kubectl.RunAsync("get", "pdb", "web", "-n", ns, "-o", "jsonpath={.status.currentHealthy} {.status.conditions[?(@.type==\"DisruptionAllowed\")].reason}")).EnsureSuccess().Stdout;

        Assert.Matches(@"^web\s+2\s+N/A\s+0\s", none);
        Assert.Equal("2 InsufficientPods", reason);
    }
}
