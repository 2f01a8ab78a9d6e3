using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Timonel.Storage.Encryption;

/// <summary>
/// NaCl's crypto_secretbox (XSalsa20-Poly1305), as Go's golang.org/x/crypto/nacl/secretbox that upstream uses: the
/// output is the 16-byte Poly1305 tag followed by the ciphertext. .NET has neither primitive; BouncyCastle (a
/// maintained, pure-managed library) has both but not their NaCl composition, which is these few lines: the first
/// 32 bytes of the XSalsa20 keystream are the one-time Poly1305 key, the message is XORed with the rest.
/// </summary>
public static class SecretBox
{
    public const int KeySize = 32;
    public const int NonceSize = 24;
    public const int Overhead = 16;

    /// <summary>tag || ciphertext of <paramref name="message"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce, byte[] key)
    {
        var (stream, macKey) = Start(nonce, key);
        var output = new byte[Overhead + message.Length];
        stream.ProcessBytes(message, output.AsSpan(Overhead));
        Tag(macKey, output.AsSpan(Overhead), output.AsSpan(0, Overhead));
        return output;
    }

    /// <summary>The message, or null when the box was not sealed with this key and nonce (or was changed).</summary>
    public static byte[]? Open(ReadOnlySpan<byte> box, ReadOnlySpan<byte> nonce, byte[] key)
    {
        if (box.Length < Overhead)
        {
            return null;
        }

        var (stream, macKey) = Start(nonce, key);
        Span<byte> expected = stackalloc byte[Overhead];
        Tag(macKey, box[Overhead..], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, box[..Overhead]))
        {
            return null;
        }

        var message = new byte[box.Length - Overhead];
        stream.ProcessBytes(box[Overhead..], message);
        return message;
    }

    private static (XSalsa20Engine Stream, byte[] MacKey) Start(ReadOnlySpan<byte> nonce, byte[] key)
    {
        var stream = new XSalsa20Engine();
        stream.Init(true, new ParametersWithIV(new KeyParameter(key), nonce.ToArray()));
        var macKey = new byte[32];
        stream.ProcessBytes(new byte[32], macKey);
        return (stream, macKey);
    }

    private static void Tag(byte[] macKey, ReadOnlySpan<byte> cipherText, Span<byte> tag)
    {
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        mac.BlockUpdate(cipherText);
        mac.DoFinal(tag);
    }
}
