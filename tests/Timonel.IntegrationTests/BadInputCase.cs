using System.Text;

namespace Timonel.IntegrationTests;

/// <summary>
/// One malformed request and what the user must get back: the HTTP code, the Status reason and a piece of the
/// message (upstream's exact text where it is known). {ns} in the path is the test's namespace.
/// </summary>
public sealed record BadInputCase(string Name, string Method, string Path, string ContentType, byte[] Body, int Code, string Reason, string Message)
{
    /// <summary>Sends the body with chunked transfer encoding (no Content-Length), so the server must count while reading.</summary>
    public bool Chunked { get; init; }

    public BadInputCase(string name, string method, string path, string contentType, string body, int code, string reason, string message)
        : this(name, method, path, contentType, Encoding.UTF8.GetBytes(body), code, reason, message)
    {
    }

    public HttpRequestMessage ToRequest(string ns)
    {
        HttpContent content = Chunked ? new StreamContent(new UnseekableStream(Body)) : new ByteArrayContent(Body);
        content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        return new HttpRequestMessage(new HttpMethod(Method), Path.Replace("{ns}", ns, StringComparison.Ordinal)) { Content = content };
    }

    public override string ToString() => Name;
}
