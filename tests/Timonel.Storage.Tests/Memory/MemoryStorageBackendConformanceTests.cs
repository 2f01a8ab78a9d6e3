using Timonel.Storage.Memory;

namespace Timonel.Storage.Tests.Memory;

public sealed class MemoryStorageBackendConformanceTests : StorageBackendConformanceTests
{
    protected override bool IsDurable => false;

    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new MemoryStorageBackend());
}
