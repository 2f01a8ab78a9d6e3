namespace Timonel.Storage.Encryption;

/// <summary>
/// A whole encryption configuration, compiled: for each storage key, the providers of the first entry whose prefix
/// it falls under (an earlier entry wins, as upstream's). Keys under no entry are stored as they are.
/// </summary>
public sealed class EncryptionTransformers(IReadOnlyList<ResourceTransformers> resources)
{
    public static EncryptionTransformers None { get; } = new([]);

    public IReadOnlyList<ResourceTransformers> Resources { get; } = resources;

    /// <summary>The providers of <paramref name="key"/>, or null when no entry covers it.</summary>
    public PrefixTransformers? For(string key)
    {
        foreach (var resource in Resources)
        {
            if (key.StartsWith(resource.KeyPrefix, StringComparison.Ordinal))
            {
                return resource.Transformers;
            }
        }

        return null;
    }
}
