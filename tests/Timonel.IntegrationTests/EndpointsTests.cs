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
}
