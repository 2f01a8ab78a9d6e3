using System.Net.WebSockets;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>Whole WebSocket messages, however the peer fragmented them.</summary>
public static class WebSocketMessages
{
    /// <summary>The next message's bytes, or null once the peer has closed.</summary>
    public static async Task<byte[]?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }
}
