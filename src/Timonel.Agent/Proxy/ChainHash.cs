using System.Security.Cryptography;
using System.Text;

namespace Timonel.Agent.Proxy;

/// <summary>
/// The hash part of per-Service chain names, upstream's: the first characters of the RFC 4648 base32 encoding of the
/// SHA-256 of a name, so names that differ in one digit still look different.
/// </summary>
internal static class ChainHash
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <param name="length">Characters wanted, at most 51 (the 256 bits of the hash).</param>
    public static string Base32(string name, int length)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            // Character i is bits [5i, 5i + 5) of the hash, most significant first.
            var bit = i * 5;
            var pair = (hash[bit / 8] << 8) | (bit / 8 + 1 < hash.Length ? hash[(bit / 8) + 1] : 0);
            chars[i] = Alphabet[(pair >> (11 - (bit % 8))) & 31];
        }

        return new string(chars);
    }
}
