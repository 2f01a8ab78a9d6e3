using Timonel.Storage;
using Timonel.Storage.Memory;

namespace Timonel.IntegrationTests;

public sealed class MemoryClusterFixture : ClusterFixture
{
    protected override Task<IStorageBackend> CreateStorageAsync(string dataDir) => Task.FromResult<IStorageBackend>(new MemoryStorageBackend());
}
