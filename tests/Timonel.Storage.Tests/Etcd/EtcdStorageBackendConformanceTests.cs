using Timonel.Storage.Etcd;

namespace Timonel.Storage.Tests.Etcd;

/// <summary>The conformance suite against a real etcd process; a restart kills etcd and starts it on the same data.</summary>
public sealed class EtcdStorageBackendConformanceTests(EtcdFixture fixture) : StorageBackendConformanceTests, IClassFixture<EtcdFixture>
{
    protected override string? SkipReason => fixture.SkipReason;

    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new EtcdStorageBackend(fixture.Etcd!.Endpoint));

    // etcd's own changelog and kube-apiserver's feature check: progress marks are ordered from 3.4.31 and 3.5.13 on.
    protected override async Task<bool> ReportsWatchProgressAsync()
    {
        var version = await EtcdVersion.OfBinaryAsync();
        return version >= new Version(3, 6) || (version.Minor == 5 ? version.Build >= 13 : version.Minor == 4 && version.Build >= 31);
    }

    protected override async Task<IStorageBackend> RestartAsync(IStorageBackend store)
    {
        await fixture.Etcd!.RestartAsync();
        return await base.RestartAsync(store);
    }
}
