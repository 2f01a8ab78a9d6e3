namespace Timonel.Storage.Encryption;

/// <summary>
/// Rewrites every value under the configured prefixes that is not written with the write key (upstream's "stale"
/// reads; K3s' secrets-encrypt reencrypt). Storage-level: the raw value is read, decrypted, encrypted with the write
/// key and written back with its mod revision as the guard, so a concurrent write wins and its value (already
/// written with the write key) is left alone. Pages are rewritten with many writes in flight, which SQLite's writer
/// commits in groups and etcd pipelines.
/// </summary>
public static class Reencryptor
{
    private const int PageSize = 1_000;
    private const int WritesInFlight = 64;
    private const int MaxAttempts = 16;

    public static async Task<ReencryptResult> ReencryptAsync(EncryptingStorageBackend backend, CancellationToken cancellationToken)
    {
        var transformers = backend.Transformers;
        long rewritten = 0;
        long current = 0;
        var failures = new List<string>();
        foreach (var resource in transformers.Resources)
        {
            string? next = null;
            do
            {
                var page = await backend.Inner.ListAsync(resource.KeyPrefix, new ListOptions(PageSize, next, CountRemaining: false), cancellationToken);
                next = page.NextKey;
                await Parallel.ForEachAsync(page.Items, new ParallelOptions { MaxDegreeOfParallelism = WritesInFlight, CancellationToken = cancellationToken }, async (kv, token) =>
                {
                    // A key under an earlier, wider entry belongs to that entry's providers.
                    if (!ReferenceEquals(transformers.For(kv.Key), resource.Transformers))
                    {
                        return;
                    }

                    switch (await RewriteAsync(backend.Inner, resource.Transformers, kv, token))
                    {
                        case null:
                            Interlocked.Increment(ref current);
                            break;
                        case { Length: 0 }:
                            Interlocked.Increment(ref rewritten);
                            break;
                        case var error:
                            lock (failures)
                            {
                                failures.Add(error);
                            }

                            break;
                    }
                });
            }
            while (next is not null);
        }

        failures.Sort(StringComparer.Ordinal);
        return new ReencryptResult(rewritten, current, failures);
    }

    // Null: already current (or gone); "": rewritten; otherwise the decryption error.
    private static async Task<string?> RewriteAsync(IStorageBackend raw, PrefixTransformers providers, KeyValue kv, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (kv.Value.Length == 0 || providers.IsCurrent(kv.Value))
            {
                return null;
            }

            byte[] plaintext;
            try
            {
                plaintext = providers.FromStorage(kv.Value, kv.Key).Value;
            }
            catch (ValueTransformException ex)
            {
                return $"unable to transform key \"{kv.Key}\": {ex.Message}";
            }

            var result = await raw.UpdateAsync(kv.Key, providers.ToStorage(plaintext, kv.Key), kv.ModRevision, cancellationToken);
            if (result.Succeeded)
            {
                return "";
            }

            if (result.Current is null)
            {
                return null;
            }

            kv = result.Current;
        }

        return $"unable to reencrypt key \"{kv.Key}\": it kept changing";
    }
}
