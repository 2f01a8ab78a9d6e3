using System.Security.Cryptography;

namespace Timonel.Storage.Encryption;

/// <summary>
/// The aescbc provider: AES-CBC with a random 16-byte IV in front of the ciphertext and PKCS#7 padding, the layout and
/// error messages of upstream's cbc transformer (k8s.io/apiserver/pkg/storage/value/encrypt/aes/aes.go).
/// </summary>
public sealed class AesCbcTransformer : IValueTransformer, IDisposable
{
    private const int BlockSize = 16;
    // One cipher object per thread: .NET's are not safe to share between concurrent calls (reencryption and the
    // request threads encrypt at once).
    private readonly ThreadLocal<Aes> _aes;

    public AesCbcTransformer(byte[] secret)
    {
        var key = secret.ToArray();
        _aes = new ThreadLocal<Aes>(() =>
        {
            var aes = Aes.Create();
            aes.Key = key;
            return aes;
        }, trackAllValues: true);
    }

    public byte[] FromStorage(ReadOnlySpan<byte> data, string key)
    {
        if (data.Length < BlockSize)
        {
            throw new ValueTransformException("the stored data was shorter than the required size");
        }

        var iv = data[..BlockSize];
        var cipherText = data[BlockSize..];
        if (cipherText.Length % BlockSize != 0)
        {
            throw new ValueTransformException("the stored data is not a multiple of the block size");
        }

        // Unpadded decryption, then upstream's own padding check, so a wrong key gives upstream's message.
        var result = _aes.Value!.DecryptCbc(cipherText, iv, PaddingMode.None);
        var padding = result.Length == 0 ? 0 : result[^1];
        if (padding == 0 || padding > result.Length)
        {
            throw new ValueTransformException("invalid PKCS7 data (empty or not padded)");
        }

        for (var i = result.Length - padding; i < result.Length; i++)
        {
            if (result[i] != padding)
            {
                throw new ValueTransformException("invalid padding on input");
            }
        }

        return result[..^padding];
    }

    public byte[] ToStorage(ReadOnlySpan<byte> data, string key)
    {
        var padding = BlockSize - (data.Length % BlockSize);
        var result = new byte[BlockSize + data.Length + padding];
        RandomNumberGenerator.Fill(result.AsSpan(0, BlockSize));
        _aes.Value!.EncryptCbc(data, result.AsSpan(0, BlockSize), result.AsSpan(BlockSize), PaddingMode.PKCS7);
        return result;
    }

    public void Dispose()
    {
        foreach (var aes in _aes.Values)
        {
            aes.Dispose();
        }

        _aes.Dispose();
    }
}
