using System.Security.Cryptography;

namespace Timonel.Storage.Encryption;

/// <summary>
/// The secretbox provider: a random 24-byte nonce, then NaCl's secretbox of the value, with upstream's messages
/// (k8s.io/apiserver/pkg/storage/value/encrypt/secretbox/secretbox.go).
/// </summary>
public sealed class SecretboxTransformer(byte[] secret) : IValueTransformer
{
    public byte[] FromStorage(ReadOnlySpan<byte> data, string key)
    {
        if (data.Length < SecretBox.Overhead + SecretBox.NonceSize)
        {
            throw new ValueTransformException("the stored data was shorter than the required size");
        }

        // Upstream's text for a box that does not open, odd as it reads.
        return SecretBox.Open(data[SecretBox.NonceSize..], data[..SecretBox.NonceSize], secret)
            ?? throw new ValueTransformException("output array was not large enough for encryption");
    }

    public byte[] ToStorage(ReadOnlySpan<byte> data, string key)
    {
        Span<byte> nonce = stackalloc byte[SecretBox.NonceSize];
        RandomNumberGenerator.Fill(nonce);
        var box = SecretBox.Seal(data, nonce, secret);
        var result = new byte[SecretBox.NonceSize + box.Length];
        nonce.CopyTo(result);
        box.CopyTo(result.AsSpan(SecretBox.NonceSize));
        return result;
    }
}
