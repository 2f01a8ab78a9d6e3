namespace Timonel.ApiServer.Encryption;

/// <summary>One entry of a resource's providers: aescbc, aesgcm or secretbox with its keys, or identity (no keys).</summary>
public sealed record EncryptionProvider(string Type, IReadOnlyList<EncryptionKey> Keys)
{
    public const string AesCbc = "aescbc";
    public const string AesGcm = "aesgcm";
    public const string Secretbox = "secretbox";
    public const string Identity = "identity";

    public static EncryptionProvider IdentityProvider { get; } = new(Identity, []);
}
