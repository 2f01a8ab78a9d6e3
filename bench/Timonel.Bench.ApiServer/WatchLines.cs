using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Timonel.Bench.ApiServer;

/// <summary>Reads a watch response line by line, as client-go does, noting when each read arrived.</summary>
internal static class WatchLines
{
    public delegate void LineHandler(ReadOnlySpan<byte> line, long receivedAt);

    /// <summary>Opens the watch at <paramref name="path"/>, calls <paramref name="onOpen"/> once it answered 200, then <paramref name="onLine"/> for each event line until the stream ends.</summary>
    public static async Task ReadAsync(HttpClient http, Version version, string path, Action onOpen, LineHandler onLine, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"watch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        onOpen();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        while (true)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return;
            }

            var at = Stopwatch.GetTimestamp();
            filled += read;
            var start = 0;
            int newline;
            while ((newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n')) >= 0)
            {
                onLine(buffer.AsSpan(start, newline), at);
                start += newline + 1;
            }

            buffer.AsSpan(start, filled - start).CopyTo(buffer);
            filled -= start;
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
    }
}
