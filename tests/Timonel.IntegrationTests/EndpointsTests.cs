using System.Text.Json;

namespace Timonel.IntegrationTests;

/// <summary>
/// A Service finds the pods it selects as on a real cluster: the Endpoints and EndpointSlice controllers list the
/// scheduled, Ready pods' IPs. Driven by the real kubectl against <c>timonel server --simulated-nodes 3</c>.
/// </summary>
public sealed class EndpointsTests : IClassFixture<SimulatedClusterFixture>
{
    private const string Manifest = """
        apiVersion: v1
        kind: Service
        metadata:
          name: hello
        spec:
          selector:
            app: hello
          ports:
          - name: http
            port: 80
            targetPort: web
        """;

    private readonly SimulatedClusterFixture _fixture;

    public EndpointsTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task ServiceSelectingThreePods_EndpointsAndSliceListTheirIps()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = "ep-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        var pods = string.Join("\n---\n", Enumerable.Range(1, 3).Select(i => $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: hello-{i}
              labels:
                app: hello
            spec:
              containers:
              - name: web
                image: nginx
                ports:
                - name: web
                  containerPort: 8080
            """));

        (await Kubectl.RunWithInputAsync(pods + "\n---\n" + Manifest, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        foreach (var i in Enumerable.Range(1, 3))
        {
            (await SimulatedClusterFixture.WaitAsync(Kubectl, $"pod/hello-{i}", "--for=condition=Ready", ns)).EnsureSuccess();
        }

        var podIps = JsonDocument.Parse((await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "json")).EnsureSuccess().Stdout).RootElement
            .GetProperty("items").EnumerateArray().Select(p => p.GetProperty("status").GetProperty("podIP").GetString()!).Order().ToList();
        var endpoints = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "endpoints", "hello", "-n", ns, "--no-headers")).Stdout,
            table => podIps.All(ip => table.Contains($"{ip}:8080", StringComparison.Ordinal)));
        var sliceIps = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=hello", "-o", "jsonpath={.items[*].endpoints[*].addresses[0]}")).Stdout,
            ips => ips.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 3);
        var describe = (await Kubectl.RunAsync("describe", "svc", "hello", "-n", ns)).EnsureSuccess().Stdout;

        Assert.Equal(3, podIps.Distinct().Count());
        Assert.All(podIps, ip => Assert.Contains($"{ip}:8080", endpoints, StringComparison.Ordinal));
        Assert.Equal(podIps, sliceIps.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Matches(@"Endpoints:\s+\d+\.\d+\.\d+\.\d+:8080", describe);
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();
    }

    /// <summary>
    /// The notes' ClusterIP example: a Deployment of 3 and its Service. The Endpoints and the EndpointSlice list the 3
    /// pods' IPs; a pod whose readiness probe starts failing moves to notReadyAddresses (ready=false in the slice).
    /// </summary>
    [SkippableFact]
    public async Task ClusterIpExample_EndpointsFollowThePodsReadiness()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = "ep-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        var example = Path.Combine(ServerProcess.RepoRoot!, "examples", "06-service-clusterip.yaml");

        (await Kubectl.RunAsync("apply", "-n", ns, "-f", example)).EnsureSuccess();
        (await SimulatedClusterFixture.WaitAsync(Kubectl, "deployment/hello", "--for=condition=Available", ns)).EnsureSuccess();
        var podIps = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "role=hello", "--field-selector=status.phase=Running", "-o", "jsonpath={.items[*].status.podIP}")).Stdout,
            ips => ips.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 3);
        var ips = podIps.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order().ToList();
        var ready = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "endpoints", "hello", "-n", ns, "-o", "jsonpath={.subsets[*].addresses[*].ip}")).Stdout,
            text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 3);
        var sliceIps = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=hello", "-o", "jsonpath={.items[*].endpoints[*].addresses[0]}")).Stdout,
            text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 3);
        Assert.Equal(ips, ready.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Equal(ips, sliceIps.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());

        var pod = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "role=hello", "-o", "jsonpath={.items[0].metadata.name}")).EnsureSuccess().Stdout.Trim();
        var podIp = (await Kubectl.RunAsync("get", "pod", pod, "-n", ns, "-o", "jsonpath={.status.podIP}")).EnsureSuccess().Stdout.Trim();
        (await Kubectl.RunAsync("annotate", "pod", pod, "-n", ns, "sim.timonel.io/ready=false")).EnsureSuccess();
        var notReady = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "endpoints", "hello", "-n", ns, "-o", "jsonpath={.subsets[*].notReadyAddresses[*].ip}")).Stdout,
            text => text.Trim() == podIp);
        var sliceReady = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=hello", "-o", $"jsonpath={{.items[*].endpoints[?(@.addresses[0]==\"{podIp}\")].conditions.ready}}")).Stdout,
            text => text.Trim() == "false");
        var stillReady = (await Kubectl.RunAsync("get", "endpoints", "hello", "-n", ns, "-o", "jsonpath={.subsets[*].addresses[*].ip}")).EnsureSuccess().Stdout;

        Assert.Equal(podIp, notReady.Trim());
        Assert.Equal("false", sliceReady.Trim());
        Assert.Equal(2, stillReady.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(podIp, stillReady, StringComparison.Ordinal);
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();
    }
}
