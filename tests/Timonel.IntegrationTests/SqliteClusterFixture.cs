using Timonel.Storage;

namespace Timonel.IntegrationTests;

/// <summary>A cluster on the embedded default: a real SQLite file in the cluster's data dir.</summary>
public sealed class SqliteClusterFixture : ClusterFixture
{
    protected override Task<IStorageBackend> CreateStorageAsync(string dataDir) => StorageBackendFactory.CreateAsync(null, dataDir);
}
