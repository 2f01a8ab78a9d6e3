using System.Security.Cryptography;
using System.Text;
using Timonel.Storage.Encryption;

namespace Timonel.Storage.Tests.Encryption;

public sealed class ProviderTests
{
    private const string Key = "/registry/secrets/default/s";
    private static readonly byte[] _key32 = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static TheoryData<int> Lengths => [0, 1, 15, 16, 17, 128, 1024];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AesCbc_RoundTrip_IvThenPaddedBlocks(int length)
    {
        using var cbc = new AesCbcTransformer(_key32);
        var plaintext = RandomNumberGenerator.GetBytes(length);

        var stored = cbc.ToStorage(plaintext, Key);

        Assert.Equal(16 + ((length / 16) + 1) * 16, stored.Length);
        Assert.Equal(plaintext, cbc.FromStorage(stored, Key));
    }

    [Fact]
    public void AesCbc_SameValueTwice_DifferentIvAndCiphertext()
    {
        using var cbc = new AesCbcTransformer(_key32);

        Assert.NotEqual(cbc.ToStorage("same"u8, Key), cbc.ToStorage("same"u8, Key));
    }

    [Fact]
    public void AesCbc_DecryptsToZeroPadByte_UpstreamPkcs7Error()
    {
        using var cbc = new AesCbcTransformer(_key32);
        var stored = RawCbc(new byte[16]);

        var error = Assert.Throws<ValueTransformException>(() => cbc.FromStorage(stored, Key));

        Assert.Equal("invalid PKCS7 data (empty or not padded)", error.Message);
    }

    [Fact]
    public void AesCbc_PadBytesDisagree_UpstreamPaddingError()
    {
        using var cbc = new AesCbcTransformer(_key32);
        var block = new byte[16];
        block[15] = 3;
        block[14] = 3;
        var stored = RawCbc(block);

        var error = Assert.Throws<ValueTransformException>(() => cbc.FromStorage(stored, Key));

        Assert.Equal("invalid padding on input", error.Message);
    }

    [Theory]
    [InlineData(15, "the stored data was shorter than the required size")]
    [InlineData(20, "the stored data is not a multiple of the block size")]
    public void AesCbc_MalformedLength_UpstreamError(int length, string message)
    {
        using var cbc = new AesCbcTransformer(_key32);

        Assert.Equal(message, Assert.Throws<ValueTransformException>(() => cbc.FromStorage(new byte[length], Key)).Message);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AesGcm_RoundTrip_NonceCiphertextTag(int length)
    {
        using var gcm = new AesGcmTransformer(_key32);
        var plaintext = RandomNumberGenerator.GetBytes(length);

        var stored = gcm.ToStorage(plaintext, Key);

        Assert.Equal(12 + length + 16, stored.Length);
        Assert.Equal(plaintext, gcm.FromStorage(stored, Key));
    }

    [Fact]
    public void AesGcm_AnyByteChanged_AuthenticationFails()
    {
        using var gcm = new AesGcmTransformer(_key32);
        var stored = gcm.ToStorage("password"u8, Key);

        for (var i = 0; i < stored.Length; i++)
        {
            var tampered = stored.ToArray();
            tampered[i] ^= 0x20;
            Assert.Equal("cipher: message authentication failed", Assert.Throws<ValueTransformException>(() => gcm.FromStorage(tampered, Key)).Message);
        }
    }

    [Fact]
    public void AesGcm_ValueCopiedToAnotherKey_AuthenticationFails()
    {
        using var gcm = new AesGcmTransformer(_key32);
        var stored = gcm.ToStorage("password"u8, Key);

        Assert.Throws<ValueTransformException>(() => gcm.FromStorage(stored, "/registry/secrets/default/other"));
    }

    [Fact]
    public void SecretBox_NaClVector_SameBoxAsGoAndC()
    {
        // golang.org/x/crypto/nacl/secretbox TestSecretBox: generated with the C implementation of NaCl.
        var key = Enumerable.Repeat((byte)1, 32).ToArray();
        var nonce = Enumerable.Repeat((byte)2, 24).ToArray();
        var message = Enumerable.Repeat((byte)3, 64).ToArray();

        var box = SecretBox.Seal(message, nonce, key);

        Assert.Equal("8442bc313f4626f1359e3b50122b6ce6fe66ddfe7d39d14e637eb4fd5b45beadab55198df6ab5368439792a23c87db70acb6156dc5ef957ac04f6276cf6093b84be77ff0849cc33e34b7254d5a8f65ad", Convert.ToHexStringLower(box));
        Assert.Equal(message, SecretBox.Open(box, nonce, key));
    }

    [Fact]
    public void SecretBox_AnyByteChanged_DoesNotOpen()
    {
        var nonce = new byte[24];
        var box = SecretBox.Seal("password"u8, nonce, _key32);

        for (var i = 0; i < box.Length; i++)
        {
            var tampered = box.ToArray();
            tampered[i] ^= 0x20;
            Assert.Null(SecretBox.Open(tampered, nonce, _key32));
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Secretbox_RoundTrip_NonceThenBox(int length)
    {
        var secretbox = new SecretboxTransformer(_key32);
        var plaintext = RandomNumberGenerator.GetBytes(length);

        var stored = secretbox.ToStorage(plaintext, Key);

        Assert.Equal(24 + 16 + length, stored.Length);
        Assert.Equal(plaintext, SecretBox.Open(stored.AsSpan(24), stored.AsSpan(0, 24), _key32));
        Assert.Equal(plaintext, secretbox.FromStorage(stored, Key));
    }

    [Fact]
    public void Secretbox_WrongKey_UpstreamError()
    {
        var stored = new SecretboxTransformer(_key32).ToStorage("password"u8, Key);

        var error = Assert.Throws<ValueTransformException>(() => new SecretboxTransformer(new byte[32]).FromStorage(stored, Key));

        Assert.Equal("output array was not large enough for encryption", error.Message);
    }

    [Fact]
    public void Identity_EncryptedValue_Refused()
    {
        Assert.Equal("{}"u8.ToArray(), IdentityTransformer.Instance.FromStorage("{}"u8, Key));
        Assert.Equal("identity transformer tried to read encrypted data", Assert.Throws<ValueTransformException>(() => IdentityTransformer.Instance.FromStorage(Encoding.UTF8.GetBytes("k8s:enc:aescbc:v1:k:xyz"), Key)).Message);
    }

    // IV of zeros, then the block encrypted without padding: decrypts to exactly `block`.
    private static byte[] RawCbc(byte[] block)
    {
        using var aes = Aes.Create();
        aes.Key = _key32;
        return [.. new byte[16], .. aes.EncryptCbc(block, new byte[16], PaddingMode.None)];
    }
}
