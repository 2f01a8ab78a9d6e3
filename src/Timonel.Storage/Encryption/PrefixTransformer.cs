using System.Text;

namespace Timonel.Storage.Encryption;

/// <summary>
/// One key of one provider and the prefix its values carry: <c>k8s:enc:&lt;provider&gt;:v1:&lt;key name&gt;:</c>
/// (upstream's encryptionconfig), empty for identity.
/// </summary>
/// <param name="Provider">aescbc, aesgcm, secretbox or identity.</param>
/// <param name="KeyName">The key's name; empty for identity.</param>
public sealed record PrefixTransformer(string Provider, string KeyName, IValueTransformer Transformer)
{
    public byte[] Prefix { get; } = Provider == "identity" ? [] : Encoding.UTF8.GetBytes($"k8s:enc:{Provider}:v1:{KeyName}:");

    public static PrefixTransformer Identity { get; } = new("identity", "", IdentityTransformer.Instance);
}
