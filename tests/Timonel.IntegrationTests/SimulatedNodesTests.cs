using System.Globalization;
using Timonel.Agent.Joining;

namespace Timonel.IntegrationTests;

/// <summary>Simulated nodes and their pods as kubectl users see them, against the in-process server.</summary>
public sealed class SimulatedNodesTests : IClassFixture<SimulatedNodesFixture>
{
    private readonly SimulatedNodesFixture _fixture;

    public SimulatedNodesTests(SimulatedNodesFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task GetNodes_ThreeSimulatedNodes_ReadyWithTheirAddressesAndRuntime()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var wide = (await Kubectl.RunAsync("get", "nodes", "-o", "wide", "--no-headers")).EnsureSuccess();

        var rows = wide.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["sim-0", "sim-1", "sim-2"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal("Ready", r[1]));
        Assert.Equal(["10.200.0.1", "10.200.0.2", "10.200.0.3"], rows.Select(r => r[5]));
        Assert.All(rows, r => Assert.Equal("simulated://1.0.0", r[^1]));
        var leases = (await Kubectl.RunAsync("get", "leases", "-n", "kube-node-lease", "-o", "jsonpath={.items[*].spec.holderIdentity}")).EnsureSuccess();
        Assert.Equal("sim-0 sim-1 sim-2", leases.Stdout);
    }

    [SkippableFact]
    public async Task DescribeNode_WithAPod_ConditionsSystemInfoAndTheNodesPods()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        await CreatePodAsync(ns, "described", "sim-2");
        await WaitForAsync(ns, "described", "{.status.phase}=Running");

        var describe = (await Kubectl.RunAsync("describe", "node", "sim-2")).EnsureSuccess().Stdout;

        Assert.Contains("KubeletReady", describe, StringComparison.Ordinal);
        Assert.Contains("kubelet has sufficient memory available", describe, StringComparison.Ordinal);
        Assert.Contains("PodCIDR:                      10.42.2.0/24", describe, StringComparison.Ordinal);
        Assert.Contains("InternalIP:  10.200.0.3", describe, StringComparison.Ordinal);
        Assert.Contains("Non-terminated Pods:          (1 in total)", describe, StringComparison.Ordinal);
        Assert.Matches($@"\n  {ns} +described +", describe);
    }

    [SkippableFact]
    public async Task Pod_BoundToSim1_RunningWithAnAddressOfTheNodesRange()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        await CreatePodAsync(ns, "web", "sim-1");
        await WaitForAsync(ns, "web", "{.status.phase}=Running");

        var ips = (await Kubectl.RunAsync("get", "pod", "web", "-n", ns, "-o", "jsonpath={.status.hostIP} {.status.podIP} {.status.containerStatuses[0].ready}")).EnsureSuccess();
        Assert.Matches(@"^10\.200\.0\.2 10\.42\.1\.\d+ true$", ips.Stdout);
    }

    [SkippableFact]
    public async Task Example02_BoundToANode_ReadyOnlyAfterItsReadinessDelay()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        var manifest = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "examples", "02-pod-env-resources-probes.yaml")))
            .Replace("spec:\n  containers:", "spec:\n  nodeName: sim-0\n  containers:", StringComparison.Ordinal);
        (await Kubectl.RunWithInputAsync(manifest, "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        await WaitForAsync(ns, "nginx", "{.status.phase}=Running");
        var early = (await Kubectl.RunAsync("get", "pod", "nginx", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=condition=Ready", "pod/nginx", "-n", ns, "--timeout=30s")).EnsureSuccess();
        var times = (await Kubectl.RunAsync("get", "pod", "nginx", "-n", ns, "-o", "jsonpath={.status.startTime} {.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}")).EnsureSuccess();

        Assert.Equal("False", early.Stdout);
        var parts = times.Stdout.Split(' ').Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture)).ToList();
        Assert.True(parts[1] - parts[0] >= TimeSpan.FromSeconds(5), times.Stdout);
    }

    [SkippableFact]
    public async Task DeletePod_AgentStopsAndRemovesIt_KubectlReturns()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        await CreatePodAsync(ns, "doomed", "sim-0");
        await WaitForAsync(ns, "doomed", "{.status.phase}=Running");

        var deleted = await Kubectl.RunAsync("delete", "pod", "doomed", "-n", ns, "--timeout=30s");
        var after = await Kubectl.RunAsync("get", "pod", "doomed", "-n", ns);

        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("NotFound", after.Stderr, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("0", "Succeeded", "Completed")]
    [InlineData("3", "Failed", "Error")]
    public async Task RunSeconds_PodThatEnds_FinishesWithItsExitCode(string exitCode, string phase, string status)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        var manifest = $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: job
              annotations: {sim.timonel.io/run-seconds: "1", sim.timonel.io/exit-code: "{{exitCode}}"}
            spec:
              nodeName: sim-1
              restartPolicy: Never
              containers: [{name: main, image: busybox}]
            """;
        (await Kubectl.RunWithInputAsync(manifest, "create", "-n", ns, "-f", "-")).EnsureSuccess();

        await WaitForAsync(ns, "job", "{.status.phase}=" + phase);
        var row = (await Kubectl.RunAsync("get", "pod", "job", "-n", ns, "--no-headers")).EnsureSuccess();

        Assert.Matches($@"^job +0/1 +{status} +0 ", row.Stdout);
    }

    [SkippableFact]
    public async Task Cordon_Node_SchedulingDisabledUntilUncordoned()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        (await Kubectl.RunAsync("cordon", "sim-2")).EnsureSuccess();
        var cordoned = (await Kubectl.RunAsync("get", "node", "sim-2", "--no-headers")).EnsureSuccess();
        (await Kubectl.RunAsync("uncordon", "sim-2")).EnsureSuccess();
        var uncordoned = (await Kubectl.RunAsync("get", "node", "sim-2", "--no-headers")).EnsureSuccess();

        Assert.Matches(@"^sim-2 +Ready,SchedulingDisabled ", cordoned.Stdout);
        Assert.Matches(@"^sim-2 +Ready ", uncordoned.Stdout);
    }

    [SkippableFact]
    public async Task Join_TokenWithAnotherCaHash_Refused()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var token = "K10" + new string('0', 64) + "::server:" + Cluster.Host.Token.Password;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerTrust.ConnectAsync(Cluster.Host.Url, token, null, CancellationToken.None));

        Assert.StartsWith("token CA hash does not match the server CA hash", error.Message, StringComparison.Ordinal);
    }

    private async Task CreatePodAsync(string ns, string name, string node) =>
        (await Kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  nodeName: {node}\n  containers: [{{name: app, image: nginx}}]\n", "create", "-n", ns, "-f", "-")).EnsureSuccess();

    private async Task WaitForAsync(string ns, string pod, string jsonpath) =>
        (await Kubectl.RunAsync("wait", $"--for=jsonpath={jsonpath}", "pod/" + pod, "-n", ns, "--timeout=30s")).EnsureSuccess();
}
