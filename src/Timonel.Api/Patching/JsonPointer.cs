namespace Timonel.Api.Patching;

/// <summary>RFC 6901 JSON pointer token escaping: '~' is written <c>~0</c> and '/' is written <c>~1</c>.</summary>
public static class JsonPointer
{
    /// <summary>Escapes one reference token.</summary>
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Unescapes one reference token in a single left-to-right pass (<c>~01</c> is <c>~1</c>).</summary>
    public static string Unescape(string token)
    {
        if (!token.Contains('~', StringComparison.Ordinal))
        {
            return token;
        }
        var builder = new System.Text.StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '~' && i + 1 < token.Length && token[i + 1] is '0' or '1')
            {
                builder.Append(token[i + 1] == '0' ? '~' : '/');
                i++;
            }
            else
            {
                builder.Append(token[i]);
            }
        }
        return builder.ToString();
    }
}
