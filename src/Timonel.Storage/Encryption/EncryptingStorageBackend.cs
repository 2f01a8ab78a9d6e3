using System.Runtime.CompilerServices;

namespace Timonel.Storage.Encryption;

/// <summary>
/// Encryption at rest at the storage seam (upstream's value transformers in the etcd3 store): values under the
/// configured prefixes are encrypted on write and decrypted on every read, list and watch, so everything above
/// (the watch cache included) sees plaintext. A value that cannot be decrypted reads as a
/// <see cref="TransformFailure"/> placeholder, never as ciphertext. The configuration can be replaced while serving
/// (key rotation); a write uses the configuration of the moment it starts.
/// </summary>
public sealed class EncryptingStorageBackend(IStorageBackend inner, EncryptionTransformers transformers) : IStorageBackend
{
    private volatile EncryptionTransformers _transformers = transformers;

    /// <summary>The backend that holds the encrypted bytes.</summary>
    public IStorageBackend Inner { get; } = inner;

    public EncryptionTransformers Transformers
    {
        get => _transformers;
        set => _transformers = value;
    }

    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Decode(await Inner.GetAsync(key, cancellationToken));

    public async Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        var page = await Inner.ListAsync(prefix, options, cancellationToken);
        var transformers = _transformers;
        var items = new KeyValue[page.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Decode(transformers, page.Items[i]);
        }

        return page with { Items = items };
    }

    public Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default) => Inner.CountAsync(prefix, cancellationToken);

    public async Task<WriteResult> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var transformers = _transformers;
        var result = await Inner.CreateAsync(key, Encode(transformers, key, value), cancellationToken);
        return Written(transformers, result, value);
    }

    public async Task<WriteResult> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, CancellationToken cancellationToken = default)
    {
        var transformers = _transformers;
        var result = await Inner.UpdateAsync(key, Encode(transformers, key, value), expectedRevision, cancellationToken);
        return Written(transformers, result, value);
    }

    public async Task<WriteResult> DeleteAsync(string key, long expectedRevision, CancellationToken cancellationToken = default)
    {
        var result = await Inner.DeleteAsync(key, expectedRevision, cancellationToken);
        return result with { Current = Decode(result.Current) };
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in Inner.WatchAsync(prefix, afterRevision, cancellationToken))
        {
            if (change.Type == WatchEventType.Progress)
            {
                yield return change;
                continue;
            }

            var transformers = _transformers;
            yield return change with { Current = Decode(transformers, change.Current), Previous = change.Previous is null ? null : Decode(transformers, change.Previous) };
        }
    }

    public Task<bool> RequestWatchProgressAsync(CancellationToken cancellationToken = default) => Inner.RequestWatchProgressAsync(cancellationToken);

    public Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default) => Inner.CurrentRevisionAsync(cancellationToken);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) => Inner.CompactAsync(revision, cancellationToken);

    public Task<long> CompactedRevisionAsync(CancellationToken cancellationToken = default) => Inner.CompactedRevisionAsync(cancellationToken);

    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    /// <summary>A stored value as plaintext, or the failure placeholder; keys under no entry are read as they are.</summary>
    public static KeyValue Decode(EncryptionTransformers transformers, KeyValue kv)
    {
        if (kv.Value.Length == 0)
        {
            return kv;
        }

        var providers = transformers.For(kv.Key);
        if (providers is null)
        {
            // As identity: plaintext passes, ciphertext is refused rather than served (a resource whose entry was
            // removed from the configuration before its values were rewritten).
            return kv.Value.AsSpan().StartsWith(PrefixTransformers.EncryptedPrefix)
                ? kv with { Value = TransformFailure.Create(kv.Key, "identity transformer tried to read encrypted data") }
                : kv;
        }

        try
        {
            return kv with { Value = providers.FromStorage(kv.Value, kv.Key).Value };
        }
        catch (ValueTransformException ex)
        {
            return kv with { Value = TransformFailure.Create(kv.Key, ex.Message) };
        }
    }

    private KeyValue? Decode(KeyValue? kv) => kv is null ? null : Decode(_transformers, kv);

    private static ReadOnlyMemory<byte> Encode(EncryptionTransformers transformers, string key, ReadOnlyMemory<byte> value) =>
        transformers.For(key) is { } providers ? providers.ToStorage(value.Span, key) : value;

    // The written value is what the caller gave (no need to decrypt what was just encrypted); a failed write's
    // current value is read back as any other.
    private static WriteResult Written(EncryptionTransformers transformers, WriteResult result, ReadOnlyMemory<byte> plaintext)
    {
        if (result.Current is not { } current)
        {
            return result;
        }

        return result with { Current = result.Succeeded ? current with { Value = plaintext.ToArray() } : Decode(transformers, current) };
    }
}
