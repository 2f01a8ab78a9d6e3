using Timonel.Storage;
using Timonel.Storage.Memory;

namespace Timonel.ApiServer.Tests.Watch;

/// <summary>
/// An in-memory store whose watches cannot mark progress, as etcd before 3.4.31 and 3.5.13 (Debian 12's 3.4.23):
/// the watch cache must then fall back to reading the store.
/// </summary>
internal sealed class NoProgressStorage : IStorageBackend
{
    private readonly MemoryStorageBackend _inner = new();

    public Task<bool> RequestWatchProgressAsync(CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

    public Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default) => _inner.ListAsync(prefix, options, cancellationToken);

    public Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default) => _inner.CountAsync(prefix, cancellationToken);

    public Task<WriteResult> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) => _inner.CreateAsync(key, value, cancellationToken);

    public Task<WriteResult> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, CancellationToken cancellationToken = default) =>
        _inner.UpdateAsync(key, value, expectedRevision, cancellationToken);

    public Task<WriteResult> DeleteAsync(string key, long expectedRevision, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, expectedRevision, cancellationToken);

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default) => _inner.WatchAsync(prefix, afterRevision, cancellationToken);

    public Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default) => _inner.CurrentRevisionAsync(cancellationToken);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) => _inner.CompactAsync(revision, cancellationToken);

    public Task<long> CompactedRevisionAsync(CancellationToken cancellationToken = default) => _inner.CompactedRevisionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
