using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// Connects to the runtime's streaming server at the URL a CRI Exec, Attach or PortForward answered (containerd's
/// serves plain HTTP on loopback): as a WebSocket client, or upgraded to SPDY/3.1 as the kubelet's own clients do.
/// </summary>
public sealed class RuntimeStreamDialer
{
    public async Task<WebSocket> ConnectAsync(string url, string protocol, CancellationToken cancellationToken)
    {
        var target = new UriBuilder(new Uri(url));
        target.Scheme = target.Scheme switch
        {
            "http" => "ws",
            "https" => "wss",
            _ => target.Scheme,
        };
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        try
        {
            await socket.ConnectAsync(target.Uri, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The connection once the streaming server switched it to SPDY/3.1 with one of <paramref name="protocols"/> (the
    /// X-Stream-Protocol-Version handshake of client-go's httpstream), and the protocol it chose.
    /// </summary>
    /// <exception cref="HttpRequestException">The server did not switch protocols; the message has its answer.</exception>
    public async Task<RuntimeSpdyStream> UpgradeToSpdyAsync(string url, IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        var target = new Uri(url);
        if (target.Scheme != Uri.UriSchemeHttp)
        {
            throw new HttpRequestException($"{url}: only plain HTTP streaming servers are supported");
        }

        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(target.Host, target.Port, cancellationToken);
            var stream = client.GetStream();
            var request = new StringBuilder($"GET {target.PathAndQuery} HTTP/1.1\r\nHost: {target.Authority}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n");
            foreach (var protocol in protocols)
            {
                request.Append($"X-Stream-Protocol-Version: {protocol}\r\n");
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), cancellationToken);
            var head = (await ReadHeadAsync(stream, cancellationToken)).Split("\r\n");
            var parts = head[0].Split(' ', 3);
            if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status != 101)
            {
                throw new HttpRequestException($"{url}: the streaming server answered \"{head[0]}\" instead of switching to SPDY/3.1");
            }

            // TcpClient's stream owns the socket: disposing it closes the connection.
            return new RuntimeSpdyStream(stream, HeaderValue(head, "X-Stream-Protocol-Version"));
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static string? HeaderValue(string[] headLines, string name) =>
        headLines.Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2 && string.Equals(pair[0].Trim(), name, StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1].Trim())
            .FirstOrDefault();

    // The status line and headers, read a byte at a time so nothing of the SPDY frames after them is consumed.
    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        const int MaxHead = 16 * 1024;
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < MaxHead)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                break;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString([.. head]);
    }
}
