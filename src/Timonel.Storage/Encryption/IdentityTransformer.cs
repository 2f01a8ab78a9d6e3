namespace Timonel.Storage.Encryption;

/// <summary>
/// The identity provider: plaintext, refusing what is encrypted so a later provider is tried, as upstream's
/// (k8s.io/apiserver/pkg/storage/value/encrypt/identity/identity.go).
/// </summary>
public sealed class IdentityTransformer : IValueTransformer
{
    public static IdentityTransformer Instance { get; } = new();

    public byte[] FromStorage(ReadOnlySpan<byte> data, string key) =>
        data.StartsWith(PrefixTransformers.EncryptedPrefix) ? throw new ValueTransformException("identity transformer tried to read encrypted data") : data.ToArray();

    public byte[] ToStorage(ReadOnlySpan<byte> data, string key) => data.ToArray();
}
