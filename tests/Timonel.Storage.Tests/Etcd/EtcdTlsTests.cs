using System.Text;
using Grpc.Core;
using Timonel.Storage.Etcd;
using Timonel.Testing;

namespace Timonel.Storage.Tests.Etcd;

/// <summary>
/// An etcd that serves only TLS and demands client certificates (--client-cert-auth), as production etcd clusters
/// run, reached with the files of K3s' --datastore-cafile, --datastore-certfile and --datastore-keyfile.
/// </summary>
public sealed class EtcdTlsTests : IAsyncLifetime
{
    private readonly string _directory = TempDirectory.Create();
    private EtcdTestCertificates? _certificates;
    private EtcdProcess? _etcd;

    public async Task InitializeAsync()
    {
        if (EtcdProcess.UnavailableReason is null)
        {
            _certificates = EtcdTestCertificates.Create(Path.Combine(_directory, "pki"));
            _etcd = await EtcdProcess.StartAsync(_certificates);
        }
    }

    public async Task DisposeAsync()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }

        TempDirectory.Delete(_directory);
    }

    [SkippableFact]
    public async Task CreateAsync_WithCaAndClientCertificate_WritesAndReadsOverTls()
    {
        Skip.If(_etcd is null, EtcdProcess.UnavailableReason);
        await using var store = (EtcdStorageBackend)await StorageBackendFactory.CreateAsync(_etcd.Endpoint, _directory, Files(_certificates!));

        var created = await store.CreateAsync("/registry/tls/a", Encoding.UTF8.GetBytes("one"));
        var read = await store.GetAsync("/registry/tls/a");

        Assert.True(created.Succeeded);
        Assert.Equal("one", Encoding.UTF8.GetString(read!.Value));
    }

    [SkippableFact]
    public async Task CreateAsync_WithoutClientCertificate_IsRefusedByEtcd()
    {
        Skip.If(_etcd is null, EtcdProcess.UnavailableReason);
        await using var store = new EtcdStorageBackend(_etcd.Endpoint, new EtcdTlsFiles(_certificates!.CaFile, null, null));

        await Assert.ThrowsAsync<RpcException>(() => store.CreateAsync("/registry/tls/b", new byte[] { 1 }));
    }

    [SkippableFact]
    public async Task CreateAsync_CaThatDidNotSignEtcd_RefusesTheServer()
    {
        Skip.If(_etcd is null, EtcdProcess.UnavailableReason);
        var strangers = EtcdTestCertificates.Create(Path.Combine(_directory, "other-pki"));
        await using var store = new EtcdStorageBackend(_etcd.Endpoint, new EtcdTlsFiles(strangers.CaFile, _certificates!.ClientCertFile, _certificates.ClientKeyFile));

        await Assert.ThrowsAsync<RpcException>(() => store.CreateAsync("/registry/tls/c", new byte[] { 1 }));
        await using var trusted = new EtcdStorageBackend(_etcd.Endpoint, Files(_certificates));
        Assert.Null(await trusted.GetAsync("/registry/tls/c"));
    }

    [Fact]
    public void Constructor_CertificateWithoutKey_NamesBothFlags()
    {
        var error = Assert.Throws<ArgumentException>(() => new EtcdStorageBackend("https://127.0.0.1:2379", new EtcdTlsFiles(null, "client.crt", null)));

        Assert.Equal("--datastore-certfile and --datastore-keyfile must be given together", error.Message);
    }

    [Fact]
    public void Constructor_MissingCaFile_NamesTheFlagAndFile()
    {
        var missing = Path.Combine(_directory, "absent-ca.crt");

        var error = Assert.Throws<FileNotFoundException>(() => new EtcdStorageBackend("https://127.0.0.1:2379", new EtcdTlsFiles(missing, null, null)));

        Assert.Equal($"--datastore-cafile {missing}: no such file", error.Message);
    }

    [Fact]
    public void Constructor_TlsFilesWithPlainHttpEndpoint_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new EtcdStorageBackend("http://127.0.0.1:2379", new EtcdTlsFiles("ca.crt", null, null)));

        Assert.Contains("https://", error.Message, StringComparison.Ordinal);
    }

    private static EtcdTlsFiles Files(EtcdTestCertificates certificates) =>
        new(certificates.CaFile, certificates.ClientCertFile, certificates.ClientKeyFile);
}
