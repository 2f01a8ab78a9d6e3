using Timonel.Storage.Etcd;

namespace Timonel.Storage.Tests.Etcd;

/// <summary>The conformance suite against a real etcd process; a restart kills etcd and starts it on the same data.</summary>
public sealed class EtcdStorageBackendConformanceTests(EtcdFixture fixture) : StorageBackendConformanceTests, IClassFixture<EtcdFixture>
{
    protected override string? SkipReason => fixture.SkipReason;

    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new EtcdStorageBackend(fixture.Etcd!.Endpoint));

    protected override async Task<IStorageBackend> RestartAsync(IStorageBackend store)
    {
        await fixture.Etcd!.RestartAsync();
        return await base.RestartAsync(store);
    }
}
