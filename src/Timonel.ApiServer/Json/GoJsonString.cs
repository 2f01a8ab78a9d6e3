using System.Globalization;
using System.Text;

namespace Timonel.ApiServer.Json;

/// <summary>
/// Unescapes the contents of a JSON string as Go's encoding/json does (decode.go unquote): an escaped UTF-16
/// surrogate that is not half of a valid pair becomes U+FFFD instead of an error, so "\ud800" reads as "\uFFFD".
/// </summary>
public static class GoJsonString
{
    private const char Replacement = '\uFFFD';

    /// <summary>The text of <paramref name="escaped"/>, valid UTF-8 JSON string contents without the quotes.</summary>
    public static string Unescape(ReadOnlySpan<byte> escaped)
    {
        var text = new StringBuilder(escaped.Length);
        var i = 0;
        while (i < escaped.Length)
        {
            var backslash = escaped[i..].IndexOf((byte)'\\');
            if (backslash != 0)
            {
                var run = backslash < 0 ? escaped[i..] : escaped.Slice(i, backslash);
                text.Append(Encoding.UTF8.GetString(run));
                i += run.Length;
                continue;
            }

            var kind = escaped[i + 1];
            if (kind != 'u')
            {
                text.Append(Simple(kind));
                i += 2;
                continue;
            }

            var unit = Hex4(escaped.Slice(i + 2, 4));
            i += 6;
            if (char.IsHighSurrogate(unit) && i + 6 <= escaped.Length && escaped[i] == '\\' && escaped[i + 1] == 'u'
                && Hex4(escaped.Slice(i + 2, 4)) is var low && char.IsLowSurrogate(low))
            {
                text.Append(unit).Append(low);
                i += 6;
            }
            else
            {
                text.Append(char.IsSurrogate(unit) ? Replacement : unit);
            }
        }

        return text.ToString();
    }

    private static char Simple(byte kind) => kind switch
    {
        (byte)'b' => '\b',
        (byte)'f' => '\f',
        (byte)'n' => '\n',
        (byte)'r' => '\r',
        (byte)'t' => '\t',
        _ => (char)kind, // '"', '\\' and '/' stand for themselves; the parser has refused any other escape.
    };

    private static char Hex4(ReadOnlySpan<byte> digits) =>
        (char)int.Parse(Encoding.ASCII.GetString(digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
