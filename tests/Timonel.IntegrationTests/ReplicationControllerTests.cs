namespace Timonel.IntegrationTests;

/// <summary>
/// A ReplicationController keeps its replicas on <c>timonel server --simulated-nodes 3</c>, as a ReplicaSet does: the
/// real kubectl applies one with a map selector, sees its three pods owned by it, scales it with
/// <c>kubectl scale rc</c> and sees a deleted pod replaced.
/// </summary>
public sealed class ReplicationControllerTests : IClassFixture<SimulatedClusterFixture>
{
    private const string ReplicationControllerYaml = """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: legacy
        spec:
          replicas: 3
          selector:
            app: legacy
          template:
            metadata:
              labels:
                app: legacy
            spec:
              containers:
              - name: web
                image: nginx
        """;

    private readonly SimulatedClusterFixture _fixture;

    public ReplicationControllerTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task ReplicationController_ThreeReplicas_OwnsThemScalesAndReplacesADeletedPod()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = "rc-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();

        (await Kubectl.RunWithInputAsync(ReplicationControllerYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var ready = await SimulatedClusterFixture.WaitAsync(Kubectl, "rc/legacy", "--for=jsonpath={.status.readyReplicas}=3", ns);
        var uid = (await Kubectl.RunAsync("get", "rc", "legacy", "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;
        var owners = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=legacy", "-o", "jsonpath={range .items[*]}{.metadata.ownerReferences[0].apiVersion} {.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].name} {.metadata.ownerReferences[0].uid}{\"\\n\"}{end}")).EnsureSuccess().Stdout;
        var table = (await Kubectl.RunAsync("get", "rc", "legacy", "-n", ns, "--no-headers")).EnsureSuccess().Stdout;

        Assert.True(ready.ExitCode == 0, ready.ToString());
        Assert.Equal(Enumerable.Repeat($"v1 ReplicationController legacy {uid}", 3), owners.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^legacy\s+3\s+3\s+3\s", table);

        (await Kubectl.RunAsync("scale", "rc", "legacy", "--replicas=2", "-n", ns)).EnsureSuccess();
        var scaled = await SimulatedClusterFixture.EventuallyAsync(async () => string.Join(' ', await PodNamesAsync(ns)), names => names.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 2);
        var status = await SimulatedClusterFixture.WaitAsync(Kubectl, "rc/legacy", "--for=jsonpath={.status.replicas}=2", ns);

        Assert.Equal(2, scaled.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(status.ExitCode == 0, status.ToString());

        var first = await PodNamesAsync(ns);
        (await Kubectl.RunAsync("delete", "pod", first[0], "-n", ns)).EnsureSuccess();
        var replaced = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', await PodNamesAsync(ns)),
            names => names.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 2 } n && !n.Contains(first[0]));
        var describe = (await Kubectl.RunAsync("describe", "rc", "legacy", "-n", ns)).EnsureSuccess().Stdout;

        Assert.DoesNotContain(first[0], replaced, StringComparison.Ordinal);
        Assert.Equal(2, replaced.Split(' ').Length);
        Assert.Matches(@"Normal\s+SuccessfulCreate\s+.*replication-controller\s+Created pod: legacy-", describe);
        Assert.Matches(@"Normal\s+SuccessfulDelete\s+.*replication-controller\s+Deleted pod: legacy-", describe);
    }

    private async Task<List<string>> PodNamesAsync(string ns)
    {
        var output = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=legacy", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}")).EnsureSuccess().Stdout;
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
