using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>An HTTP/1.1 answer as read off the wire: the status code, the headers and the body (chunking undone).</summary>
public sealed record RawResponse(int Code, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body as a JSON object (a Status), or null when it is not one.</summary>
    public JsonObject? Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    public static RawResponse Parse(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.Latin1.GetString(bytes, 0, end < 0 ? bytes.Length : end).Split("\r\n");
        var body = end < 0 ? [] : bytes[(end + 4)..];
        var statusLine = head[0].Split(' ', 3);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var code = statusLine.Length > 1 && int.TryParse(statusLine[1], CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var chunked = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        return new RawResponse(code, headers, Encoding.UTF8.GetString(chunked ? Unchunk(body) : body));
    }

    private static byte[] Unchunk(byte[] body)
    {
        using var result = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.AsSpan(position).IndexOf("\r\n"u8);
            var sizeText = lineEnd < 0 ? "" : Encoding.Latin1.GetString(body, position, lineEnd).Split(';')[0];
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            var start = position + lineEnd + 2;
            result.Write(body, start, Math.Min(size, body.Length - start));
            position = start + size + 2;
        }

        return result.ToArray();
    }
}
