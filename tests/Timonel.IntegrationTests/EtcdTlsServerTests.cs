using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>
/// <c>timonel server</c> on an etcd that serves only TLS and demands client certificates, given K3s' flags
/// --datastore-cafile, --datastore-certfile and --datastore-keyfile; the real kubectl then uses the cluster.
/// </summary>
public sealed class EtcdTlsServerTests : IDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "timonel-etcd-tls-" + Guid.NewGuid().ToString("N")[..10]);

    [SkippableFact]
    public async Task Server_WithDatastoreTlsFlags_ServesKubectlFromTlsEtcd()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(EtcdProcess.UnavailableReason is not null, EtcdProcess.UnavailableReason);
        Skip.IfNot(Kubectl.IsInstalled, Kubectl.SkipReason);
        var certificates = EtcdTestCertificates.Create(Path.Combine(_directory, "pki"));
        await using var etcd = await EtcdProcess.StartAsync(certificates);

        await using var server = ServerProcess.Start(
            Path.Combine(_directory, "data"),
            "--datastore-endpoint", etcd.Endpoint,
            "--datastore-cafile", certificates.CaFile,
            "--datastore-certfile", certificates.ClientCertFile,
            "--datastore-keyfile", certificates.ClientKeyFile);
        Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
        var kubectl = new Kubectl(Path.Combine(server.DataDir, "kubeconfig.yaml"));
        (await kubectl.RunAsync("create", "configmap", "over-tls", "--from-literal=k=v")).EnsureSuccess();
        var got = (await kubectl.RunAsync("get", "configmap", "over-tls", "-o", "jsonpath={.data.k}")).EnsureSuccess();

        Assert.Equal("v", got.Stdout);
    }

    [SkippableFact]
    public async Task Server_EtcdRefusesMissingClientCertificate_ExitsOneSayingTheHandshakeFailed()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(EtcdProcess.UnavailableReason is not null, EtcdProcess.UnavailableReason);
        var certificates = EtcdTestCertificates.Create(Path.Combine(_directory, "pki"));
        await using var etcd = await EtcdProcess.StartAsync(certificates);

        await using var server = ServerProcess.Start(Path.Combine(_directory, "data"), "--datastore-endpoint", etcd.Endpoint, "--datastore-cafile", certificates.CaFile);
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(1, exitCode);
        Assert.Contains($"cannot reach the datastore at {etcd.Endpoint}", server.Output, StringComparison.Ordinal);
        Assert.Contains("the TLS handshake with etcd failed", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Server_CertificateWithoutKey_ExitsOneNamingTheFlags()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");

        await using var server = ServerProcess.Start(
            Path.Combine(_directory, "data"),
            "--datastore-endpoint", "https://127.0.0.1:2379",
            "--datastore-certfile", Path.Combine(_directory, "client.crt"));
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(1, exitCode);
        Assert.Contains("--datastore-certfile and --datastore-keyfile must be given together", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
