using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Adds RFC 7234 Warning headers as upstream's warning recorder does (code 299, agent "-", the text quoted with
/// " and \ escaped: apimachinery util/net NewWarningHeader), once per text. The text may quote what a client sent,
/// so characters a header cannot carry are escaped as Go's %+q would write them (a quoted backslash, so a client
/// reading the quoted string sees <c>\x01</c>) instead of failing the response.
/// </summary>
public static class WarningHeaders
{
    public static void Add(HttpContext context, string text)
    {
        var value = "299 - " + Quote(text);
        var headers = context.Response.Headers;
        if (!headers["Warning"].Contains(value))
        {
            headers.Append("Warning", value);
        }
    }

    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value is '"' or '\\')
            {
                quoted.Append('\\').Append((char)value);
            }
            else if (value is '\n' or '\r')
            {
                // Go's net/http writes header values with newlines turned into spaces.
                quoted.Append(' ');
            }
            else if (value is >= 0x20 and < 0x7f)
            {
                quoted.Append((char)value);
            }
            else
            {
                quoted.Append(Escape(value));
            }
        }

        return quoted.Append('"').ToString();
    }

    private static string Escape(int value) => value switch
    {
        < 0x80 => "\\\\x" + value.ToString("x2", CultureInfo.InvariantCulture),
        < 0x10000 => "\\\\u" + value.ToString("x4", CultureInfo.InvariantCulture),
        _ => "\\\\U" + value.ToString("x8", CultureInfo.InvariantCulture),
    };
}
