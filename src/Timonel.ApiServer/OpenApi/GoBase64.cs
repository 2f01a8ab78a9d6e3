using System.Text;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// Go's base64.StdEncoding.Decode as encoding/json uses it for []byte fields (Secret data, ConfigMap binaryData):
/// padded standard alphabet, CR and LF skipped; a bad string is refused with the byte offset Go reports.
/// </summary>
internal static class GoBase64
{
    private const byte Padding = (byte)'=';

    /// <summary>"illegal base64 data at input byte N" (encoding/base64 CorruptInputError), or null when the string decodes.</summary>
    public static string? Error(string text)
    {
        var offset = CorruptOffset(Encoding.UTF8.GetBytes(text));
        return offset is { } n ? $"illegal base64 data at input byte {n}" : null;
    }

    // encoding/base64's decodeQuantum, one quantum of four characters at a time.
    private static int? CorruptOffset(byte[] src)
    {
        var si = 0;
        while (true)
        {
            for (var j = 0; j < 4; j++)
            {
                if (si == src.Length)
                {
                    // The input ends inside a quantum: padding is required.
                    return j == 0 ? null : si - j;
                }

                var c = src[si++];
                if (IsAlphabet(c))
                {
                    continue;
                }

                if (c is (byte)'\n' or (byte)'\r')
                {
                    j--;
                    continue;
                }

                if (c != Padding || j < 2)
                {
                    return si - 1;
                }

                return PaddingEnd(src, si, j);
            }
        }
    }

    // After the first '=' of a quantum: "==" after two characters, "=" after three, then nothing but newlines.
    private static int? PaddingEnd(byte[] src, int si, int j)
    {
        if (j == 2)
        {
            si = SkipNewlines(src, si);
            if (si == src.Length)
            {
                return src.Length;
            }

            if (src[si] != Padding)
            {
                return si - 1;
            }

            si++;
        }

        si = SkipNewlines(src, si);
        return si < src.Length ? si : null;
    }

    private static int SkipNewlines(byte[] src, int si)
    {
        while (si < src.Length && src[si] is (byte)'\n' or (byte)'\r')
        {
            si++;
        }

        return si;
    }

    private static bool IsAlphabet(byte c) => c is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/';
}
