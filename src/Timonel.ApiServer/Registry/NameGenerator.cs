using System.Security.Cryptography;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// generateName: the prefix plus five characters from upstream's alphabet without vowels and look-alikes
/// (apiserver/pkg/storage/names, utilrand.String), trimmed so the name stays within 63 characters.
/// </summary>
public static class NameGenerator
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int RandomLength = 5;
    private const int MaxNameLength = 63;
    private const int MaxPrefixLength = MaxNameLength - RandomLength;

    public static string Generate(string prefix)
    {
        if (prefix.Length > MaxPrefixLength)
        {
            prefix = prefix[..MaxPrefixLength];
        }

        Span<char> suffix = stackalloc char[RandomLength];
        for (var i = 0; i < RandomLength; i++)
        {
            suffix[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return prefix + new string(suffix);
    }
}
