namespace Timonel.IntegrationTests;

/// <summary>
/// ResourceQuotas as a user meets them through the real kubectl: the controller fills in the status, admission
/// refuses what would exceed it with upstream's message, kubectl describe shows Used against Hard, a deletion gives
/// the quota back, and a Deployment over quota leaves FailedCreate events from the ReplicaSet controller.
/// </summary>
public sealed class ResourceQuotaTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public ResourceQuotaTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task QuotaOfOnePod_SecondPodRefused_DescribeShowsOneOfOne_DeletionGivesItBack()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await QuotaNamespaceAsync("pods=1");

        (await Kubectl.RunAsync("apply", "-f", Examples.File("01-pod.yaml"), "-n", ns)).EnsureSuccess();
        var refused = await Kubectl.RunAsync("run", "second", "--image=nginx", "-n", ns);
        var described = (await Kubectl.RunAsync("describe", "quota", "q", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "pod", "nginx", "-n", ns, "--grace-period=0", "--force")).EnsureSuccess();
        var freed = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "quota", "q", "-n", ns, "-o", "jsonpath={.status.used.pods}")).Stdout,
            used => used == "0");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Error from server (Forbidden): pods \"second\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1", refused.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"Resource\s+Used\s+Hard", described.Stdout);
        Assert.Matches(@"\n\s*pods\s+1\s+1", described.Stdout);
        Assert.Equal("0", freed);
    }

    [SkippableFact]
    public async Task QuotaOnCpu_PodWithoutRequests_MustSpecify()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await QuotaNamespaceAsync("requests.cpu=1,pods=5");

        var refused = await Kubectl.RunAsync("apply", "-f", Examples.File("01-pod.yaml"), "-n", ns);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("pods \"nginx\" is forbidden: failed quota: q: must specify requests.cpu for: nginx", refused.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DeploymentOverQuota_ReplicaSetRecordsFailedCreate()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await QuotaNamespaceAsync("pods=1");

        (await Kubectl.RunAsync("apply", "-f", Examples.File("03-deployment.yaml"), "-n", ns)).EnsureSuccess();
        var events = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "events", "-n", ns, "--no-headers")).Stdout,
            text => text.Contains("FailedCreate", StringComparison.Ordinal));
        var pods = (await Kubectl.RunAsync("get", "pods", "-n", ns, "--no-headers", "-o", "name")).EnsureSuccess().Stdout;

        Assert.Matches(
            @"Warning\s+FailedCreate\s+replicaset/nginx-deployment-\w+\s+Error creating: pods ""nginx-deployment-\w+-\w+"" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1",
            events);
        Assert.Single(pods.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A fresh namespace with quota "q" of <paramref name="hard"/>, once the controller has counted it.</summary>
    private async Task<string> QuotaNamespaceAsync(string hard)
    {
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "quota", "q", "--hard=" + hard, "-n", ns)).EnsureSuccess();
        var first = hard.Split(',')[0].Split('=');
        (await Kubectl.RunAsync("wait", "quota/q", "-n", ns, $"--for=jsonpath={{.status.hard.{first[0].Replace(".", "\\.", StringComparison.Ordinal)}}}={first[1]}", "--timeout=30s")).EnsureSuccess();
        return ns;
    }
}
