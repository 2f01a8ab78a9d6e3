using System.Text.Json;

namespace Timonel.IntegrationTests;

/// <summary>
/// Deployments on <c>timonel server --simulated-nodes 3</c>, driven by the real kubectl as a user would: the
/// deployment controller owns ReplicaSets, the ReplicaSet controller their pods, the scheduler spreads them and the
/// simulated nodes report them ready; rollouts stay within maxSurge and maxUnavailable, and kubectl's rollout verbs
/// (status, history, undo, restart, pause, resume) work unchanged.
/// </summary>
public sealed class DeploymentTests : IClassFixture<SimulatedClusterFixture>
{
    private const string WebYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 4
          strategy:
            type: RollingUpdate
            rollingUpdate:
              maxSurge: 1
              maxUnavailable: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: nginx:1.26
        """;

    private readonly SimulatedClusterFixture _fixture;

    public DeploymentTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task ApplyExample03_TwoReplicas_ReadyOnTwoNodesAndADeletedPodIsReplaced()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("03-deployment.yaml"))).EnsureSuccess();
        var status = await RolloutStatusAsync(ns, "nginx-deployment");
        var table = (await Kubectl.RunAsync("get", "deployment", "nginx-deployment", "-n", ns, "--no-headers")).EnsureSuccess().Stdout;
        var pods = await PodsAsync(ns, "app=nginx");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("deployment \"nginx-deployment\" successfully rolled out", status.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"^nginx-deployment\s+2/2\s+2\s+2\s", table);
        Assert.Equal(2, pods.Count);
        Assert.Equal(2, pods.Select(p => p.Node).Distinct().Count());
        Assert.All(pods, p => Assert.Matches(@"^nginx-deployment-[bcdfghjklmnpqrstvwxz2456789]+-[a-z0-9]{5}$", p.Name));

        (await Kubectl.RunAsync("delete", "pod", pods[0].Name, "-n", ns)).EnsureSuccess();
        var replaced = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', (await PodsAsync(ns, "app=nginx")).Select(p => p.Name)),
            names => names.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 2 } n && !n.Contains(pods[0].Name));
        // Every component's events about the story: the Deployment scaled its ReplicaSet, which created pods, which
        // the scheduler placed and a kubelet stopped when one was deleted.
        var events = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "events", "-n", ns, "--no-headers")).Stdout,
            text => text.Contains("Killing", StringComparison.Ordinal));

        Assert.Equal(2, replaced.Split(' ').Length);
        Assert.DoesNotContain(pods[0].Name, replaced, StringComparison.Ordinal);
        Assert.Matches(@"Normal\s+ScalingReplicaSet\s+deployment/nginx-deployment\s+Scaled up replica set nginx-deployment-\w+ from 0 to 2", events);
        Assert.Matches(@"Normal\s+SuccessfulCreate\s+replicaset/nginx-deployment-\w+\s+Created pod: nginx-deployment-", events);
        Assert.Matches(@"Normal\s+Scheduled\s+pod/nginx-deployment-\S+\s+Successfully assigned " + ns + @"/nginx-deployment-\S+ to sim-\d", events);
        Assert.Matches(@"Normal\s+Killing\s+pod/" + pods[0].Name + @"\s+Stopping container nginx", events);
    }

    [SkippableFact]
    public async Task ScaleThenSetImage_RollsOutWithinSurgeAndUnavailability_ThenHistoryAndUndo()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(WebYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await RolloutStatusAsync(ns, "web")).EnsureSuccess();

        (await Kubectl.RunAsync("scale", "deployment", "web", "--replicas=5", "-n", ns)).EnsureSuccess();
        var scaled = await SimulatedClusterFixture.WaitAsync(Kubectl, "deployment/web", "--for=jsonpath={.status.availableReplicas}=5", ns);
        var table = (await Kubectl.RunAsync("get", "deployment", "web", "-n", ns, "--no-headers")).EnsureSuccess().Stdout;

        Assert.True(scaled.ExitCode == 0, scaled.ToString());
        Assert.Matches(@"^web\s+5/5\s+5\s+5\s", table);

        // Sample the ReplicaSets all through the rollout: 5 replicas, maxSurge 1, maxUnavailable 1.
        using var sampling = new CancellationTokenSource();
        var samples = SampleReplicaSetsAsync(ns, sampling.Token);
        (await Kubectl.RunAsync("set", "image", "deployment/web", "web=nginx:1.27", "-n", ns)).EnsureSuccess();
        var rolledOut = await RolloutStatusAsync(ns, "web");
        await sampling.CancelAsync();
        var seen = await samples;
        var images = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', (await PodsAsync(ns, "app=web")).Select(p => p.Image)),
            text => text.Split(' ') is { Length: 5 } all && all.All(i => i == "nginx:1.27"));

        Assert.True(rolledOut.ExitCode == 0, rolledOut.ToString());
        Assert.Contains("deployment \"web\" successfully rolled out", rolledOut.Stdout, StringComparison.Ordinal);
        Assert.True(seen.Count > 1, "the ReplicaSets were read during the rollout");
        Assert.All(seen, s => Assert.True(s.Total <= 6 && s.Available >= 4, $"total {s.Total}, available {s.Available}"));
        Assert.Equal(Enumerable.Repeat("nginx:1.27", 5), images.Split(' '));

        var history = (await Kubectl.RunAsync("rollout", "history", "deployment/web", "-n", ns)).EnsureSuccess().Stdout;
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", history);

        var undo = (await Kubectl.RunAsync("rollout", "undo", "deployment/web", "-n", ns)).EnsureSuccess().Stdout;
        var undone = await RolloutStatusAsync(ns, "web");
        var image = (await Kubectl.RunAsync("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).EnsureSuccess().Stdout;
        var podImages = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', (await PodsAsync(ns, "app=web")).Select(p => p.Image)),
            text => text.Split(' ') is { Length: 5 } all && all.All(i => i == "nginx:1.26"));
        var after = (await Kubectl.RunAsync("rollout", "history", "deployment/web", "-n", ns)).EnsureSuccess().Stdout;
        var revision = (await Kubectl.RunAsync("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).EnsureSuccess().Stdout;

        Assert.Contains("deployment.apps/web rolled back", undo, StringComparison.Ordinal);
        Assert.True(undone.ExitCode == 0, undone.ToString());
        Assert.Equal("nginx:1.26", image);
        Assert.Equal(Enumerable.Repeat("nginx:1.26", 5), podImages.Split(' '));
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+2\s+<none>\s+3\s+<none>", after);
        Assert.Equal("3", revision);
    }

    [SkippableFact]
    public async Task RolloutRestartAndPause_RestartReplacesPods_PauseHoldsAChangeUntilResumed()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(WebYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await RolloutStatusAsync(ns, "web")).EnsureSuccess();
        var before = (await PodsAsync(ns, "app=web")).Select(p => p.Name).ToList();

        (await Kubectl.RunAsync("rollout", "restart", "deployment/web", "-n", ns)).EnsureSuccess();
        var restarted = await RolloutStatusAsync(ns, "web");
        var renewed = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', (await PodsAsync(ns, "app=web")).Select(p => p.Name)),
            names => names.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 4 } n && !n.Intersect(before).Any());

        Assert.True(restarted.ExitCode == 0, restarted.ToString());
        Assert.Empty(renewed.Split(' ').Intersect(before));

        (await Kubectl.RunAsync("rollout", "pause", "deployment/web", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("set", "image", "deployment/web", "web=nginx:1.27", "-n", ns)).EnsureSuccess();
        var observed = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.metadata.generation} {.status.observedGeneration} {.status.conditions[?(@.type==\"Progressing\")].reason}")).Stdout,
            text => text.Split(' ') is [var g, var o, "DeploymentPaused"] && g == o);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var pausedImages = (await PodsAsync(ns, "app=web")).Select(p => p.Image).Distinct().ToList();
        var replicaSets = (await Kubectl.RunAsync("get", "rs", "-n", ns, "--no-headers")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith("DeploymentPaused", observed, StringComparison.Ordinal);
        Assert.Equal(["nginx:1.26"], pausedImages);
        Assert.Equal(2, replicaSets.Length);

        (await Kubectl.RunAsync("rollout", "resume", "deployment/web", "-n", ns)).EnsureSuccess();
        var resumed = await RolloutStatusAsync(ns, "web");
        var images = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', (await PodsAsync(ns, "app=web")).Select(p => p.Image)),
            text => text.Split(' ') is { Length: 4 } all && all.All(i => i == "nginx:1.27"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(Enumerable.Repeat("nginx:1.27", 4), images.Split(' '));
    }

    /// <summary>
    /// <c>kubectl delete deployment</c> in each cascade mode: background takes its ReplicaSet and pods with it;
    /// orphan leaves them, without an owner; foreground keeps the Deployment (with the finalizer) until they are gone.
    /// </summary>
    [SkippableTheory]
    [InlineData("background")]
    [InlineData("orphan")]
    [InlineData("foreground")]
    public async Task DeleteDeployment_EachCascade_DependentsGoOrStayAsUpstream(string cascade)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(WebYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await RolloutStatusAsync(ns, "web")).EnsureSuccess();

        // In foreground, a finalizer on one pod holds the deletion open, so that the Deployment can be seen waiting.
        var held = (await PodsAsync(ns, "app=web"))[0].Name;
        if (cascade == "foreground")
        {
            (await Kubectl.RunAsync("patch", "pod", held, "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"test.timonel.io/hold\"]}}")).EnsureSuccess();
        }

        (await Kubectl.RunAsync("delete", "deployment", "web", "-n", ns, $"--cascade={cascade}", "--wait=false")).EnsureSuccess();
        if (cascade == "foreground")
        {
            // The other pods go; the held pod's ReplicaSet waits for it in turn, and the Deployment for its ReplicaSet.
            var waiting = await SimulatedClusterFixture.EventuallyAsync(
                async () => (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "name")).Stdout.Trim(),
                text => text == $"pod/{held}");
            var replicaSet = (await Kubectl.RunAsync("get", "replicasets", "-n", ns, "-o", "jsonpath={.items[*].metadata.finalizers}")).EnsureSuccess().Stdout;
            var deployment = (await Kubectl.RunAsync("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.metadata.finalizers} {.metadata.deletionTimestamp}")).EnsureSuccess().Stdout;
            Assert.Equal($"pod/{held}", waiting);
            Assert.Equal("[\"foregroundDeletion\"]", replicaSet);
            Assert.Matches(@"^\[""foregroundDeletion""\] \d{4}-", deployment);
            (await Kubectl.RunAsync("patch", "pod", held, "-n", ns, "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]")).EnsureSuccess();
        }

        var deploymentGone = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "deployment", "web", "-n", ns, "--ignore-not-found", "-o", "name")).Stdout.Trim(),
            text => text.Length == 0);
        var left = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "replicasets,pods", "-n", ns, "-o", "jsonpath={range .items[*]}{.kind}:{.metadata.ownerReferences[*].kind};{end}")).Stdout,
            text => cascade == "orphan" ? text.Contains("ReplicaSet:;", StringComparison.Ordinal) : text.Length == 0);

        Assert.Equal("", deploymentGone);
        if (cascade == "orphan")
        {
            // The ReplicaSet stays without its owner; its pods keep the ReplicaSet as theirs.
            var kinds = left.Split(';', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("ReplicaSet:", kinds);
            Assert.Equal(4, kinds.Count(k => k == "Pod:ReplicaSet"));
        }
        else
        {
            Assert.Equal("", left);
        }
    }

    private async Task<string> CreateNamespaceAsync()
    {
        var ns = "deploy-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }

    private Task<KubectlResult> RolloutStatusAsync(string ns, string name) =>
        Kubectl.RunAsync("rollout", "status", $"deployment/{name}", "-n", ns, "--timeout=90s");

    /// <summary>The pods not being deleted, with their node and first container's image.</summary>
    private async Task<List<(string Name, string Node, string Image)>> PodsAsync(string ns, string selector)
    {
        var json = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", selector, "-o", "json")).EnsureSuccess().Stdout;
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("items").EnumerateArray()
            .Where(p => !p.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _))
            .Select(p => (
                p.GetProperty("metadata").GetProperty("name").GetString()!,
                p.GetProperty("spec").TryGetProperty("nodeName", out var node) ? node.GetString()! : "",
                p.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString()!))];
    }

    /// <summary>Reads the ReplicaSets over and over until cancelled: the pods wanted in all, and the pods available.</summary>
    private async Task<List<(int Total, int Available)>> SampleReplicaSetsAsync(string ns, CancellationToken cancellationToken)
    {
        var samples = new List<(int, int)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await Kubectl.RunAsync("get", "rs", "-n", ns, "-l", "app=web", "-o", "json");
            if (result.ExitCode == 0)
            {
                using var doc = JsonDocument.Parse(result.Stdout);
                var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
                samples.Add((
                    items.Sum(rs => rs.GetProperty("spec").GetProperty("replicas").GetInt32()),
                    items.Sum(rs => rs.TryGetProperty("status", out var s) && s.TryGetProperty("availableReplicas", out var a) ? a.GetInt32() : 0)));
            }
        }

        return samples;
    }
}
