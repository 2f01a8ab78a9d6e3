namespace Timonel.Storage.Encryption;

/// <summary>
/// The providers of one resource, in configured order (upstream's prefixTransformers, value/transformer.go): writes
/// use the first; a read uses the first whose prefix the value carries and decrypts, and is stale when that is not
/// the first (it would be written differently now).
/// </summary>
public sealed class PrefixTransformers
{
    /// <summary>What every encrypted value starts with (upstream reserves it: identity.go).</summary>
    public static ReadOnlySpan<byte> EncryptedPrefix => "k8s:enc:"u8;

    public PrefixTransformers(IReadOnlyList<PrefixTransformer> transformers)
    {
        if (transformers.Count == 0)
        {
            throw new ArgumentException("at least one provider is required", nameof(transformers));
        }

        Transformers = transformers;
    }

    public IReadOnlyList<PrefixTransformer> Transformers { get; }

    /// <summary>The provider and key writes use.</summary>
    public PrefixTransformer Write => Transformers[0];

    /// <summary>The plaintext of a stored value and whether it is stale; throws <see cref="ValueTransformException"/>.</summary>
    public (byte[] Value, bool Stale) FromStorage(ReadOnlySpan<byte> data, string key)
    {
        List<string>? errors = null;
        for (var i = 0; i < Transformers.Count; i++)
        {
            var transformer = Transformers[i];
            if (!data.StartsWith(transformer.Prefix))
            {
                continue;
            }

            try
            {
                return (transformer.Transformer.FromStorage(data[transformer.Prefix.Length..], key), i != 0);
            }
            catch (ValueTransformException ex)
            {
                // Identity's refusal only means "try the next one"; two keys of one provider share a prefix
                // stem, so a failure never ends the search either (upstream's comments in transformer.go).
                if (transformer.Prefix.Length > 0)
                {
                    (errors ??= []).Add(ex.Message);
                }
            }
        }

        if (errors is not null)
        {
            // Upstream's errors.Reduce: one error as is, several as an aggregate "[a, b]".
            throw new ValueTransformException(errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]");
        }

        // encryptionconfig's error when no provider matches.
        throw new ValueTransformException("no matching prefix found");
    }

    /// <summary>The value to store: the write provider's prefix and ciphertext.</summary>
    public byte[] ToStorage(ReadOnlySpan<byte> data, string key)
    {
        var write = Write;
        var transformed = write.Transformer.ToStorage(data, key);
        if (write.Prefix.Length == 0)
        {
            return transformed;
        }

        var result = new byte[write.Prefix.Length + transformed.Length];
        write.Prefix.CopyTo(result, 0);
        transformed.CopyTo(result, write.Prefix.Length);
        return result;
    }

    /// <summary>Whether a stored value is written with the write provider and key (false: reencryption rewrites it).</summary>
    public bool IsCurrent(ReadOnlySpan<byte> data) =>
        Write.Prefix.Length == 0 ? !data.StartsWith(EncryptedPrefix) : data.StartsWith(Write.Prefix);
}
