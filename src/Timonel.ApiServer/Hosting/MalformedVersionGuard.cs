using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// Answers a first request line whose HTTP version Go's http.ParseHTTPVersion refuses ("http/1.1", "HTTP/x.y") with
/// Go's plain 400, where Kestrel answers 505 HTTP Version Not Supported: a 5xx is for faults of the server, never the
/// answer to malformed input. Kestrel has no hook for the responses its parser writes, so this connection middleware
/// (after TLS) looks at the first line of an HTTP/1.x connection without consuming it; later requests on a kept-alive
/// connection still meet Kestrel's own answer.
/// </summary>
public static class MalformedVersionGuard
{
    // net/http server.go: the headers and body of the answer to a request it cannot parse, and its public text.
    private const string BadRequest = "400 Bad Request";

    public static async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (connection.Features.Get<ITlsApplicationProtocolFeature>() is { } alpn && alpn.ApplicationProtocol.Span.SequenceEqual("h2"u8))
        {
            await next(connection);
            return;
        }

        var input = connection.Transport.Input;
        ReadResult read;
        try
        {
            read = await input.ReadAsync(connection.ConnectionClosed);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            return;
        }

        var version = FirstLineVersion(read.Buffer);
        // Nothing consumed or examined: Kestrel reads the same bytes next.
        input.AdvanceTo(read.Buffer.Start);
        if (version is null || GoAcceptsVersion(version))
        {
            await next(connection);
            return;
        }

        // readRequest's error here is a ProtocolError (badStringError), not a badRequestError, so Go adds no detail.
        var output = connection.Transport.Output;
        await output.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {BadRequest}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n{BadRequest}"));
        await output.CompleteAsync();
        await input.CompleteAsync();
    }

    /// <summary>
    /// The protocol version of the buffer's first line as Go's parseRequestLine cuts it (after the second space), or
    /// null when the line is not complete yet or has fewer than two spaces (Kestrel answers those 400 already).
    /// </summary>
    public static string? FirstLineVersion(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineBytes, (byte)'\n'))
        {
            return null;
        }

        var line = Encoding.Latin1.GetString(lineBytes).TrimEnd('\r');
        var first = line.IndexOf(' ', StringComparison.Ordinal);
        var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
        return second < 0 ? null : line[(second + 1)..];
    }

    /// <summary>net/http ParseHTTPVersion: "HTTP/" and one digit, a dot and one digit.</summary>
    public static bool GoAcceptsVersion(string version) =>
        version.Length == 8 && version.StartsWith("HTTP/", StringComparison.Ordinal) && char.IsAsciiDigit(version[5]) && version[6] == '.' && char.IsAsciiDigit(version[7]);
}
