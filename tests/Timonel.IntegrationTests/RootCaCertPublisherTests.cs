namespace Timonel.IntegrationTests;

/// <summary>The "kube-root-ca.crt" ConfigMap every namespace has upstream, kept by the root-ca-cert-publisher.</summary>
public sealed class RootCaCertPublisherTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public RootCaCertPublisherTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task NewNamespace_GetsTheClusterCaAsKubeRootCaCrt()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        var created = await Kubectl.RunAsync("wait", "--for=create", "configmap/kube-root-ca.crt", "-n", ns, "--timeout=30s");
        var ca = (await Kubectl.RunAsync("get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data.ca\\.crt}")).EnsureSuccess();
        var description = (await Kubectl.RunAsync("get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.metadata.annotations.kubernetes\\.io/description}")).EnsureSuccess();

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(Cluster.Host.Pki.CertificateAuthority.ExportCertificatePem() + "\n", ca.Stdout);
        Assert.StartsWith("Contains a CA bundle that can be used to verify the kube-apiserver", description.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task EditedOrDeleted_IsPutBack()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("wait", "--for=create", "configmap/kube-root-ca.crt", "-n", ns, "--timeout=30s")).EnsureSuccess();

        (await Kubectl.RunAsync("patch", "configmap", "kube-root-ca.crt", "-n", ns, "--type=merge", "-p", "{\"data\":{\"ca.crt\":\"tampered\",\"extra\":\"x\"}}")).EnsureSuccess();
        var restored = await EventuallyAsync(async () => (await Kubectl.RunAsync("get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data}")).Stdout is var data
            && data.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal) && !data.Contains("extra", StringComparison.Ordinal));
        (await Kubectl.RunAsync("delete", "configmap", "kube-root-ca.crt", "-n", ns)).EnsureSuccess();
        var recreated = await Kubectl.RunAsync("wait", "--for=create", "configmap/kube-root-ca.crt", "-n", ns, "--timeout=30s");
        var ca = (await Kubectl.RunAsync("get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data.ca\\.crt}")).EnsureSuccess();

        Assert.True(restored);
        Assert.True(recreated.ExitCode == 0, recreated.ToString());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", ca.Stdout, StringComparison.Ordinal);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (await condition())
            {
                return true;
            }
        }

        return false;
    }
}
