namespace Timonel.Storage;

/// <summary>Turns a key prefix into the half-open range [prefix, end) that range reads and watches use.</summary>
internal static class KeyPrefix
{
    /// <summary>
    /// The smallest string greater than every string that starts with <paramref name="prefix"/>, or null when
    /// there is none (empty prefix: every key matches). Incrementing the last character keeps UTF-8 byte order
    /// for keys made of ASCII and other single-plane characters, which is what Kubernetes keys are.
    /// </summary>
    public static string? End(string prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != char.MaxValue)
            {
                return string.Concat(prefix.AsSpan(0, i), [(char)(prefix[i] + 1)]);
            }
        }

        return null;
    }

    /// <summary>The byte form of <see cref="End(string)"/>, as etcd's range_end: null when the range is unbounded.</summary>
    public static byte[]? End(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != byte.MaxValue)
            {
                var end = prefix[..(i + 1)].ToArray();
                end[i]++;
                return end;
            }
        }

        return null;
    }
}
