namespace Timonel.IntegrationTests;

/// <summary>The "default" ServiceAccount every namespace has upstream, kept by the serviceaccount controller.</summary>
public sealed class ServiceAccountsControllerTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public ServiceAccountsControllerTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task NewNamespace_GetsADefaultServiceAccount()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        var created = await Kubectl.RunAsync("wait", "--for=create", "serviceaccount/default", "-n", ns, "--timeout=30s");
        var listed = (await Kubectl.RunAsync("get", "serviceaccounts", "-n", ns, "--no-headers")).EnsureSuccess();
        var token = await Kubectl.RunAsync("create", "token", "default", "-n", ns);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.StartsWith("default   0   ", listed.Stdout, StringComparison.Ordinal);
        Assert.True(token.ExitCode == 0 && token.Stdout.Split('.').Length == 3, token.ToString());
    }

    [SkippableTheory]
    [InlineData("default")]
    [InlineData("kube-system")]
    public async Task SystemNamespaces_HaveADefaultServiceAccount(string ns)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var created = await Kubectl.RunAsync("wait", "--for=create", "serviceaccount/default", "-n", ns, "--timeout=30s");

        Assert.True(created.ExitCode == 0, created.ToString());
    }

    [SkippableFact]
    public async Task DeleteDefaultServiceAccount_IsCreatedAgain()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("wait", "--for=create", "serviceaccount/default", "-n", ns, "--timeout=30s")).EnsureSuccess();
        var firstUid = (await Kubectl.RunAsync("get", "serviceaccount", "default", "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;

        (await Kubectl.RunAsync("delete", "serviceaccount", "default", "-n", ns)).EnsureSuccess();
        var recreated = await Kubectl.RunAsync("wait", "--for=create", "serviceaccount/default", "-n", ns, "--timeout=30s");
        var secondUid = (await Kubectl.RunAsync("get", "serviceaccount", "default", "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;

        Assert.True(recreated.ExitCode == 0, recreated.ToString());
        Assert.NotEqual(firstUid, secondUid);
    }
}
