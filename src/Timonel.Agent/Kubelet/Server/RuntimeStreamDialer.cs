using System.Net.WebSockets;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// Connects to the runtime's streaming server at the URL a CRI Exec, Attach or PortForward answered (containerd's
/// serves plain HTTP on loopback), as a WebSocket client speaking <c>protocol</c>.
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
}
