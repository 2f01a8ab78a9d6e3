using Timonel.Storage;
using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>A cluster on a real etcd (Debian's etcd-server) started for the test class on free loopback ports.</summary>
public sealed class EtcdClusterFixture : ClusterFixture
{
    private EtcdProcess? _etcd;

    public override string? SkipReason => base.SkipReason ?? EtcdProcess.UnavailableReason;

    protected override async Task<IStorageBackend> CreateStorageAsync(string dataDir)
    {
        _etcd = await EtcdProcess.StartAsync();
        return await StorageBackendFactory.CreateAsync(_etcd.Endpoint, dataDir);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }
}
