namespace Timonel.IntegrationTests;

/// <summary>kubectl logs, exec and attach on pods no node has taken yet: upstream's answers before a kubelet is involved.</summary>
public sealed class PodConnectTests : IClassFixture<SqliteClusterFixture>
{
    private const string TwoContainers = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pair
        spec:
          initContainers:
          - name: setup
            image: busybox
          containers:
          - name: web
            image: nginx
          - name: sidecar
            image: busybox
        """;

    private readonly SqliteClusterFixture _fixture;

    public PodConnectTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task Logs_UnscheduledPod_PrintsNothingAndSucceeds()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("01-pod.yaml"))).EnsureSuccess();

        var result = await Kubectl.RunAsync("logs", "nginx", "-n", ns);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stdout);
    }

    [SkippableFact]
    public async Task Exec_UnknownContainer_BadRequest()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(TwoContainers, "create", "-n", ns, "-f", "-")).EnsureSuccess();

        var result = await Kubectl.RunAsync("exec", "pair", "-n", ns, "-c", "nope", "--", "ls");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error from server (BadRequest): container nope is not valid for pod pair", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Exec_UnscheduledPod_NoHostAssigned()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("01-pod.yaml"))).EnsureSuccess();

        var result = await Kubectl.RunAsync("exec", "nginx", "-n", ns, "--", "ls");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("pod nginx does not have a host assigned", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task LogsApi_TwoContainersNoneNamed_ListsThemAll()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(TwoContainers, "create", "-n", ns, "-f", "-")).EnsureSuccess();

        var result = await Kubectl.RunAsync("get", "--raw", $"/api/v1/namespaces/{ns}/pods/pair/log");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("a container name must be specified for pod pair, choose one of: [setup web sidecar]", result.Stderr, StringComparison.Ordinal);
    }
}
