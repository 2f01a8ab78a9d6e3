namespace Timonel.Storage;

/// <summary>
/// A revisioned key-value store in the spirit of etcd v3 and K3s' kine: every write gets a new, global,
/// strictly increasing revision; watches replay history from a revision, in order and without gaps.
/// Keys are plain strings such as <c>/registry/pods/default/nginx</c>; values are opaque bytes (JSON objects).
/// </summary>
public interface IStorageBackend : IAsyncDisposable
{
    /// <summary>The latest value of <paramref name="key"/>, or null when absent (or deleted).</summary>
    Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keys that start with <paramref name="prefix"/>, in key order. With <see cref="ListOptions.Revision"/> &gt; 0 the
    /// list is read as of that revision (throws <see cref="CompactedException"/> when it is compacted away, and
    /// <see cref="ArgumentOutOfRangeException"/> when it is newer than the store's current revision).
    /// </summary>
    Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default);

    /// <summary>Number of live keys under <paramref name="prefix"/>.</summary>
    Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Creates <paramref name="key"/> only when absent. Fails (Succeeded=false, Current set) when present.</summary>
    Task<WriteResult> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the value only when the key's current mod revision equals <paramref name="expectedRevision"/>.
    /// On mismatch (or absence) returns Succeeded=false with the current value (null when absent).
    /// </summary>
    Task<WriteResult> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the key when its mod revision equals <paramref name="expectedRevision"/> (0 = unconditionally).
    /// On success <see cref="WriteResult.Current"/> holds the deleted value; on mismatch the current one.
    /// </summary>
    Task<WriteResult> DeleteAsync(string key, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Events for keys under <paramref name="prefix"/> with revision &gt; <paramref name="afterRevision"/>, in revision
    /// order, then live events until cancelled. Throws <see cref="CompactedException"/> (at enumeration) when
    /// events after <paramref name="afterRevision"/> were compacted away, i.e. when afterRevision + 1 is below the
    /// compacted revision. An <paramref name="afterRevision"/> of 0 replays all history still retained. The stream
    /// ends (without error) when the backend is disposed.
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks every open watch of this backend to yield a <see cref="WatchEventType.Progress"/> event once it has
    /// delivered all events up to the store's current revision, as etcd's WatchProgressRequest does. A watch on a
    /// prefix sees nothing of writes elsewhere, so this is how a follower of one prefix learns it is up to date with
    /// a revision that only other keys moved. Returns false, and asks nothing, when the store cannot promise that a
    /// mark comes after every event up to it (etcd before 3.4.31 and 3.5.13); the caller must then read the store.
    /// </summary>
    Task<bool> RequestWatchProgressAsync(CancellationToken cancellationToken = default);

    /// <summary>The revision of the latest write (0 for an empty store).</summary>
    Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops history older than <paramref name="revision"/>; the latest value of every key is kept.</summary>
    Task CompactAsync(long revision, CancellationToken cancellationToken = default);

    /// <summary>The oldest revision that can still be read or watched from.</summary>
    Task<long> CompactedRevisionAsync(CancellationToken cancellationToken = default);
}
