using Timonel.Storage.Encryption;
using Timonel.Storage.Memory;

namespace Timonel.Storage.Tests.Encryption;

/// <summary>The decorator, encrypting every key the suite writes, still behaves as a backend must.</summary>
public sealed class EncryptingStorageBackendConformanceTests : StorageBackendConformanceTests
{
    protected override bool IsDurable => false;

    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new EncryptingStorageBackend(
        new MemoryStorageBackend(),
        new EncryptionTransformers([new ResourceTransformers("/registry/", PrefixTransformersTests.Providers(PrefixTransformersTests.Gcm("key1", 1), PrefixTransformer.Identity))])));
}
