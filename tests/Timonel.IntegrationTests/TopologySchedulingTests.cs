namespace Timonel.IntegrationTests;

/// <summary>
/// Pods placed by topology, as on a real cluster: six simulated nodes labelled in three zones (two each), a Deployment
/// spread by a topologySpreadConstraint on the zone, and one whose required pod anti-affinity by hostname leaves the
/// replicas beyond the nodes Pending with upstream's message. Driven by the real kubectl.
/// </summary>
public sealed class TopologySchedulingTests : IClassFixture<SixSimulatedNodesFixture>
{
    private const string ZoneLabel = "topology.kubernetes.io/zone";
    private static readonly Dictionary<string, string> _zones = new(StringComparer.Ordinal)
    {
        ["sim-0"] = "a",
        ["sim-1"] = "a",
        ["sim-2"] = "b",
        ["sim-3"] = "b",
        ["sim-4"] = "c",
        ["sim-5"] = "c",
    };

    private readonly SixSimulatedNodesFixture _fixture;

    public TopologySchedulingTests(SixSimulatedNodesFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task Deployment_SpreadByZoneWithMaxSkewOne_TwoPodsPerZone()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        await LabelZonesAsync();
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(DeploymentYaml("spread", 6, """
                  topologySpreadConstraints:
                  - maxSkew: 1
                    topologyKey: topology.kubernetes.io/zone
                    whenUnsatisfiable: DoNotSchedule
                    labelSelector:
                      matchLabels: {app: spread}
            """), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var nodes = await NodesOfPodsAsync(ns, "app=spread", expectedScheduled: 6);

        var perZone = nodes.Where(n => n.Length > 0).GroupBy(n => _zones[n]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 2, ["c"] = 2 }, perZone);
    }

    [SkippableFact]
    public async Task Deployment_AntiAffinityByHostnameWithMoreReplicasThanNodes_ExtraPodsPendingNamingAntiAffinity()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(DeploymentYaml("lonely", 8, """
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - labelSelector:
                          matchLabels: {app: lonely}
                        topologyKey: kubernetes.io/hostname
            """), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var nodes = await NodesOfPodsAsync(ns, "app=lonely", expectedScheduled: 6);
        var pending = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=lonely", "--field-selector=status.phase=Pending,spec.nodeName=", "-o", "name")).EnsureSuccess().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => p["pod/".Length..]).ToList();
        var message = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pod", pending.FirstOrDefault() ?? "none", "-n", ns, "-o", """jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}""")).Stdout,
            m => m.Length > 0);
        var events = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector=reason=FailedScheduling", "-o", "jsonpath={.items[*].message}")).Stdout,
            m => m.Length > 0);

        // One pod per node, each on its own node; the two left over wait.
        Assert.Equal(_zones.Keys.Order(), nodes.Where(n => n.Length > 0).Order());
        Assert.Equal(2, pending.Count);
        Assert.StartsWith("0/6 nodes are available: 6 node(s) didn't match pod anti-affinity rules.", message, StringComparison.Ordinal);
        Assert.Contains("6 node(s) didn't match pod anti-affinity rules", events, StringComparison.Ordinal);
    }

    private static string DeploymentYaml(string app, int replicas, string podSpec) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{app}}
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels: {app: {{app}}}
          template:
            metadata:
              labels: {app: {{app}}}
            spec:
              containers:
              - name: main
                image: nginx:alpine
        {{podSpec}}
        """;

    // The zones are labelled as a user would; --overwrite makes it idempotent for each test of the class.
    private async Task LabelZonesAsync()
    {
        foreach (var (node, zone) in _zones)
        {
            (await Kubectl.RunAsync("label", "node", node, $"{ZoneLabel}={zone}", "--overwrite")).EnsureSuccess();
        }
    }

    private async Task<string> CreateNamespaceAsync()
    {
        var name = "topo-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", name)).EnsureSuccess();
        return name;
    }

    /// <summary>The node of every pod with the label (empty for pods not scheduled), once that many are scheduled (a minute at most).</summary>
    private async Task<string[]> NodesOfPodsAsync(string ns, string selector, int expectedScheduled)
    {
        var output = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", selector, "-o", """jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName}{"\n"}{end}""")).Stdout,
            o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.EndsWith('=')) >= expectedScheduled);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf('=') + 1)..])];
    }
}
