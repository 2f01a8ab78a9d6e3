namespace Timonel.IntegrationTests;

/// <summary>
/// A ReplicaSet keeps its replicas on <c>timonel server --simulated-nodes 3</c>: the controller creates the pods, the
/// scheduler places them, simulated nodes report them ready, and the real kubectl sees READY 3/3, a replacement
/// for a deleted pod and a scale-down.
/// </summary>
public sealed class ReplicaSetTests : IClassFixture<SimulatedClusterFixture>
{
    internal const string ReplicaSetYaml = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: web
        spec:
          replicas: 3
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
                image: nginx
        """;

    private readonly SimulatedClusterFixture _fixture;

    public ReplicaSetTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task ReplicaSet_ThreeReplicas_ReadyThenReplacesADeletedPodAndScalesDown()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = "rs-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();

        (await Kubectl.RunWithInputAsync(ReplicaSetYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var ready = await SimulatedClusterFixture.WaitAsync(Kubectl, "rs/web", "--for=jsonpath={.status.readyReplicas}=3", ns);
        var table = (await Kubectl.RunAsync("get", "rs", "web", "-n", ns, "--no-headers")).EnsureSuccess().Stdout;
        var first = await PodNamesAsync(ns);

        Assert.True(ready.ExitCode == 0, ready.ToString());
        Assert.Matches(@"^web\s+3\s+3\s+3\s", table);
        Assert.Equal(3, first.Count);
        Assert.All(first, name => Assert.StartsWith("web-", name, StringComparison.Ordinal));

        (await Kubectl.RunAsync("delete", "pod", first[0], "-n", ns)).EnsureSuccess();
        var replaced = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', await PodNamesAsync(ns)),
            names => names.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 3 } n && !n.Contains(first[0]));
        var describe = (await Kubectl.RunAsync("describe", "rs", "web", "-n", ns)).EnsureSuccess().Stdout;

        Assert.Equal(3, replaced.Split(' ').Length);
        Assert.DoesNotContain(first[0], replaced, StringComparison.Ordinal);
        Assert.Matches(@"Normal\s+SuccessfulCreate\s+.*replicaset-controller\s+Created pod: web-", describe);

        (await Kubectl.RunAsync("scale", "rs", "web", "--replicas=1", "-n", ns)).EnsureSuccess();
        var scaled = await SimulatedClusterFixture.EventuallyAsync(async () => string.Join(' ', await PodNamesAsync(ns)), names => names.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 1);
        var status = await SimulatedClusterFixture.WaitAsync(Kubectl, "rs/web", "--for=jsonpath={.status.replicas}=1", ns);
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "reason=SuccessfulDelete", "--no-headers")).EnsureSuccess().Stdout;

        Assert.Single(scaled.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(2, events.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private async Task<List<string>> PodNamesAsync(string ns)
    {
        var output = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}")).EnsureSuccess().Stdout;
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
