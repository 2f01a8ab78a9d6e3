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
    /// The connection once the streaming server switched it to SPDY/3.1 with <paramref name="protocol"/> (the
    /// X-Stream-Protocol-Version handshake of client-go's httpstream).
    /// </summary>
    /// <exception cref="HttpRequestException">The server did not switch protocols; the message has its answer.</exception>
    public async Task<Stream> UpgradeToSpdyAsync(string url, string protocol, CancellationToken cancellationToken)
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
            var request = $"GET {target.PathAndQuery} HTTP/1.1\r\nHost: {target.Authority}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: {protocol}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
            var head = await ReadHeadAsync(stream, cancellationToken);
            var statusLine = head.Split("\r\n", 2)[0];
            var parts = statusLine.Split(' ', 3);
            if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status != 101)
            {
                throw new HttpRequestException($"{url}: the streaming server answered \"{statusLine}\" instead of switching to SPDY/3.1");
            }

            // TcpClient's stream owns the socket: disposing it closes the connection.
            return stream;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

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
