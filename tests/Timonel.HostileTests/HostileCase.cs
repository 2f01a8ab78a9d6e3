using System.Text;

namespace Timonel.HostileTests;

/// <summary>
/// One hostile request and upstream's answer to it. The path may hold {ns}, the suite's namespace. A case either
/// goes through HttpClient (method, raw path sent byte for byte, headers, body) or, when <see cref="Raw"/> is set,
/// is written as it is to a fresh TLS connection, for framing that HttpClient refuses to produce.
/// </summary>
internal sealed record HostileCase(string Name, string Method, string Path, Expectation Expected)
{
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The whole HTTP/1.1 request as bytes ({ns} already replaced by the runner), for framing cases.</summary>
    public byte[]? Raw { get; init; }

    public static HostileCase WithBody(string name, string method, string path, string contentType, byte[] body, Expectation expected) =>
        new(name, method, path, expected) { Body = body, ContentType = contentType };

    public static HostileCase Json(string name, string method, string path, string body, Expectation expected) =>
        WithBody(name, method, path, "application/json", Encoding.UTF8.GetBytes(body), expected);

    /// <summary>A write upstream accepts (2xx) that is not a dry run: it would change the store.</summary>
    public bool AcceptedWrite =>
        Expected.Code is >= 200 and < 300 && Raw is null && Method is not ("GET" or "HEAD") && !Path.Contains("dryRun=All", StringComparison.Ordinal);

    /// <summary>The request as a failure report shows it: request line and the start of the body.</summary>
    public string Describe()
    {
        var body = Raw ?? Body;
        var text = body is null ? "" : " " + Excerpt(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400)), 200);
        return $"{Method} {Excerpt(Path, 200)}{text}";
    }

    public static string Excerpt(string text, int max) =>
        (text.Length <= max ? text : text[..max] + $"...({text.Length} chars)").Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
