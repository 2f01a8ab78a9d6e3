using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Joining;
using Timonel.Agent.Simulated;

namespace Timonel.IntegrationTests;

/// <summary>
/// DaemonSets on <c>timonel server --simulated-nodes 3</c>, driven by the real kubectl: one pod per eligible node,
/// placed by the scheduler through the node affinity the controller pins it with; nodes joining get a pod, tainted
/// nodes do not; rolling updates, and kubectl's rollout status, history and undo over the ControllerRevisions.
/// </summary>
public sealed class DaemonSetTests : IClassFixture<SimulatedClusterFixture>
{
    private const string AgentYaml = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels:
              app: agent
          template:
            metadata:
              labels:
                app: agent
            spec:
              containers:
              - name: agent
                image: busybox:1.36
        """;

    private readonly SimulatedClusterFixture _fixture;

    public DaemonSetTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task ApplyExample04_ThreeNodes_OnePodOnEach_ANodeJoiningGetsOne_ANoExecuteTaintTakesItAway()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("04-daemonset.yaml"))).EnsureSuccess();
        var status = await RolloutStatusAsync(ns, "nginx-deployment");
        var table = (await Kubectl.RunAsync("get", "ds", "-n", ns)).EnsureSuccess().Stdout;
        var pods = await PodsAsync(ns, "app=nginx");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("daemon set \"nginx-deployment\" successfully rolled out", status.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\n", table);
        Assert.Matches(@"\nnginx-deployment\s+3\s+3\s+3\s+3\s+3\s+<none>\s+\d+s\n", table);
        Assert.Equal(SimulatedClusterFixture.NodeNames, pods.Select(p => p.Node).Order(StringComparer.Ordinal));
        Assert.All(pods, p => Assert.Matches(@"^nginx-deployment-[a-z0-9]{5}$", p.Name));

        // A fourth node joins, as `timonel agent --simulated 1` would.
        var token = (await File.ReadAllTextAsync(Path.Combine(_fixture.Server.DataDir, "token"))).Trim();
        var connection = await ServerTrust.ConnectAsync(_fixture.Server.Url, token, null, CancellationToken.None);
        var extra = new SimulatedNodes(connection, new SimulatedNodesOptions { Count = 1, NamePrefix = "extra-", ClusterCidr = "10.62.0.0/16" }, NullLoggerFactory.Instance);
        try
        {
            await extra.StartAsync(CancellationToken.None);
            var four = await SimulatedClusterFixture.EventuallyAsync(
                async () => string.Join(' ', (await PodsAsync(ns, "app=nginx")).Where(p => p.Phase == "Running").Select(p => p.Node).Order(StringComparer.Ordinal)),
                nodes => nodes.Split(' ').Length == 4);
            Assert.Equal("extra-0 sim-0 sim-1 sim-2", four);

            (await Kubectl.RunAsync("taint", "node", "extra-0", "dedicated=db:NoExecute")).EnsureSuccess();
            var three = await SimulatedClusterFixture.EventuallyAsync(
                async () => string.Join(' ', (await PodsAsync(ns, "app=nginx")).Select(p => p.Node).Order(StringComparer.Ordinal)),
                nodes => nodes == "sim-0 sim-1 sim-2");
            var desired = (await Kubectl.RunAsync("get", "ds", "nginx-deployment", "-n", ns, "-o", "jsonpath={.status.desiredNumberScheduled}")).EnsureSuccess().Stdout;
            Assert.Equal("sim-0 sim-1 sim-2", three);
            Assert.Equal("3", desired);
        }
        finally
        {
            await extra.DisposeAsync();
            await Kubectl.RunAsync("delete", "node", "extra-0", "--wait=false");
        }
    }

    [SkippableFact]
    public async Task Create_NodeTaintedNoScheduleBeforehand_GetsNoPodUntilTheTaintIsRemoved()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        (await Kubectl.RunAsync("taint", "node", "sim-2", "dedicated=db:NoSchedule")).EnsureSuccess();
        try
        {
            (await Kubectl.RunWithInputAsync(AgentYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            var status = await RolloutStatusAsync(ns, "agent");
            var nodes = (await PodsAsync(ns, "app=agent")).Select(p => p.Node).Order(StringComparer.Ordinal);
            var desired = (await Kubectl.RunAsync("get", "ds", "agent", "-n", ns, "-o", "jsonpath={.status.desiredNumberScheduled}")).EnsureSuccess().Stdout;

            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Equal(["sim-0", "sim-1"], nodes);
            Assert.Equal("2", desired);
        }
        finally
        {
            (await Kubectl.RunAsync("taint", "node", "sim-2", "dedicated=db:NoSchedule-")).EnsureSuccess();
        }

        var all = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', (await PodsAsync(ns, "app=agent")).Select(p => p.Node).Order(StringComparer.Ordinal)),
            text => text == "sim-0 sim-1 sim-2");
        Assert.Equal("sim-0 sim-1 sim-2", all);
    }

    [SkippableFact]
    public async Task SetImage_RollsOut_HistoryShowsTwoRevisions_UndoAndUndoToRevisionReturnToTheirImages()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(AgentYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await RolloutStatusAsync(ns, "agent")).EnsureSuccess();

        (await Kubectl.RunAsync("set", "image", "ds/agent", "agent=busybox:1.37", "-n", ns)).EnsureSuccess();
        var rolledOut = await RolloutStatusAsync(ns, "agent");
        var images = await PodImagesAsync(ns, "busybox:1.37");
        var history = (await Kubectl.RunAsync("rollout", "history", "ds/agent", "-n", ns)).EnsureSuccess().Stdout;
        var first = (await Kubectl.RunAsync("rollout", "history", "ds/agent", "-n", ns, "--revision=1")).EnsureSuccess().Stdout;

        Assert.True(rolledOut.ExitCode == 0, rolledOut.ToString());
        Assert.Contains("daemon set \"agent\" successfully rolled out", rolledOut.Stdout, StringComparison.Ordinal);
        Assert.Equal("busybox:1.37 busybox:1.37 busybox:1.37", images);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", history);
        Assert.Contains("daemonset.apps/agent with revision #1", first, StringComparison.Ordinal);
        Assert.Matches(@"Image:\s+busybox:1.36", first);

        var undo = (await Kubectl.RunAsync("rollout", "undo", "ds/agent", "-n", ns)).EnsureSuccess().Stdout;
        var undone = await RolloutStatusAsync(ns, "agent");
        var image = (await Kubectl.RunAsync("get", "ds", "agent", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).EnsureSuccess().Stdout;
        var undoneImages = await PodImagesAsync(ns, "busybox:1.36");
        var after = (await Kubectl.RunAsync("rollout", "history", "ds/agent", "-n", ns)).EnsureSuccess().Stdout;

        Assert.Contains("daemonset.apps/agent rolled back", undo, StringComparison.Ordinal);
        Assert.True(undone.ExitCode == 0, undone.ToString());
        Assert.Equal("busybox:1.36", image);
        Assert.Equal("busybox:1.36 busybox:1.36 busybox:1.36", undoneImages);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+2\s+<none>\s+3\s+<none>", after);

        (await Kubectl.RunAsync("rollout", "undo", "ds/agent", "-n", ns, "--to-revision=2")).EnsureSuccess();
        var again = await RolloutStatusAsync(ns, "agent");
        var againImages = await PodImagesAsync(ns, "busybox:1.37");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("busybox:1.37 busybox:1.37 busybox:1.37", againImages);
    }

    private async Task<string> CreateNamespaceAsync()
    {
        var ns = "ds-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }

    private Task<KubectlResult> RolloutStatusAsync(string ns, string name) =>
        Kubectl.RunAsync("rollout", "status", $"ds/{name}", "-n", ns, "--timeout=90s");

    /// <summary>The images of the pods not being deleted, once all of them run <paramref name="image"/> (or after a minute).</summary>
    private Task<string> PodImagesAsync(string ns, string image) =>
        SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', (await PodsAsync(ns, "app=agent")).Select(p => p.Image)),
            text => text.Split(' ') is { Length: 3 } all && all.All(i => i == image));

    /// <summary>The pods not being deleted, with their node, first container's image and phase.</summary>
    private async Task<List<(string Name, string Node, string Image, string Phase)>> PodsAsync(string ns, string selector)
    {
        var json = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", selector, "-o", "json")).EnsureSuccess().Stdout;
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("items").EnumerateArray()
            .Where(p => !p.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _))
            .Select(p => (
                p.GetProperty("metadata").GetProperty("name").GetString()!,
                p.GetProperty("spec").TryGetProperty("nodeName", out var node) ? node.GetString()! : "",
                p.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString()!,
                p.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var phase) ? phase.GetString()! : ""))];
    }
}
