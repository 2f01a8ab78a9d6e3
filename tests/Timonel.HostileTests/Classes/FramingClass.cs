using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Malformed HTTP/1.1 framing, written to a TLS socket as it is. Go's net/http refuses these before any handler with
/// "400 Bad Request" in plain text (server.go readRequest: malformed HTTP version or request line, a header line
/// without a colon, a missing Host, a bad Content-Length, invalid header names and values). A chunked body whose
/// chunk sizes do not parse is only found while the handler reads the body; upstream's limitedReadBody then returns
/// the raw error and scope.err answers 500: the suite expects a 400 there, as issue 13 forbids 5xx.
/// </summary>
internal sealed class FramingClass : HostileClass
{
    private const string Host = "Host: localhost\r\n";

    public override string Name => "framing";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var collection = target.Kind("v1", "ConfigMap").CollectionPath;
        var plain = Expectation.GoPlain(400);
        yield return Raw("lower-case request line", "get /readyz http/1.1\r\n" + Host + "\r\n", plain);
        yield return Raw("lower-case version", "GET /readyz http/1.1\r\n" + Host + "\r\n", plain);
        yield return Raw("no version", "GET /readyz\r\n" + Host + "\r\n", plain);
        yield return Raw("two spaces", "GET  /readyz HTTP/1.1\r\n" + Host + "\r\n", plain);
        yield return Raw("version garbage", "GET /readyz HTTP/x.y\r\n" + Host + "\r\n", plain);
        yield return Raw("header without a colon", "GET /readyz HTTP/1.1\r\n" + Host + "Bad Header\r\n\r\n", plain);
        yield return Raw("header name with a space", "GET /readyz HTTP/1.1\r\n" + Host + "Bad Name: x\r\n\r\n", plain);
        yield return Raw("header value with a bare CR", "GET /readyz HTTP/1.1\r\n" + Host + "X-A: a\rb\r\n\r\n", plain);
        yield return Raw("no Host", "GET /readyz HTTP/1.1\r\n\r\n", plain);
        yield return Raw("two Hosts", "GET /readyz HTTP/1.1\r\n" + Host + Host + "\r\n", plain);
        yield return Raw("Content-Length abc", Post(collection, "Content-Length: abc\r\n", "{}"), plain);
        yield return Raw("Content-Length -1", Post(collection, "Content-Length: -1\r\n", "{}"), plain);
        yield return Raw("two different Content-Lengths", Post(collection, "Content-Length: 2\r\nContent-Length: 3\r\n", "{}"), plain);
        foreach (var size in new[] { "zz", "-1", "ffffffffffffffffffff", "0x2", "" })
        {
            yield return Raw($"chunk size '{size}'", Post(collection, "Transfer-Encoding: chunked\r\n", size + "\r\n{}\r\n0\r\n\r\n"), Expectation.BadRequest());
        }
    }

    private static string Post(string path, string framing, string body) =>
        $"POST {path}?dryRun=All HTTP/1.1\r\n{Host}Content-Type: application/json\r\nConnection: close\r\n{framing}\r\n{body}";

    private static HostileCase Raw(string name, string request, Expectation expected) =>
        new(name, request.Split(' ')[0], request.Split(' ').ElementAtOrDefault(1) ?? "", expected) { Raw = Encoding.ASCII.GetBytes(request) };
}
