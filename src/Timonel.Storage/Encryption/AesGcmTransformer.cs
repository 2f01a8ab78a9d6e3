using System.Security.Cryptography;
using System.Text;

namespace Timonel.Storage.Encryption;

/// <summary>
/// The aesgcm provider: a random 12-byte nonce, then the ciphertext, then the 16-byte tag, with the storage key as
/// authenticated data, as upstream's gcm transformer (k8s.io/apiserver/pkg/storage/value/encrypt/aes/aes.go, the key
/// coming from etcd3's authenticatedDataString).
/// </summary>
public sealed class AesGcmTransformer : IValueTransformer, IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    // One per thread: an AesGcm is not safe to share between concurrent calls.
    private readonly ThreadLocal<AesGcm> _gcm;

    public AesGcmTransformer(byte[] secret)
    {
        var key = secret.ToArray();
        _gcm = new ThreadLocal<AesGcm>(() => new AesGcm(key, TagSize), trackAllValues: true);
    }

    public byte[] FromStorage(ReadOnlySpan<byte> data, string key)
    {
        if (data.Length < NonceSize + TagSize)
        {
            throw new ValueTransformException("the stored data was shorter than the required size");
        }

        var sealedText = data[NonceSize..];
        var result = new byte[sealedText.Length - TagSize];
        try
        {
            _gcm.Value!.Decrypt(data[..NonceSize], sealedText[..^TagSize], sealedText[^TagSize..], result, Encoding.UTF8.GetBytes(key));
        }
        catch (AuthenticationTagMismatchException)
        {
            // Go's crypto/cipher error text.
            throw new ValueTransformException("cipher: message authentication failed");
        }

        return result;
    }

    public byte[] ToStorage(ReadOnlySpan<byte> data, string key)
    {
        var result = new byte[NonceSize + data.Length + TagSize];
        var nonce = result.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _gcm.Value!.Encrypt(nonce, data, result.AsSpan(NonceSize, data.Length), result.AsSpan(NonceSize + data.Length), Encoding.UTF8.GetBytes(key));
        return result;
    }

    public void Dispose()
    {
        foreach (var gcm in _gcm.Values)
        {
            gcm.Dispose();
        }

        _gcm.Dispose();
    }
}
