using System.Net.WebSockets;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// Joins a client's remote command WebSocket (v5 or v4) to a runtime streaming server that speaks v4 over WebSocket
/// rather than SPDY (<see cref="RemoteCommandBridge"/> is the SPDY path containerd takes). Channels and their messages
/// are the same in both; what differs is
/// v5's close-channel message: v4 cannot end stdin alone, so ending stdin closes the runtime stream's sending side,
/// which is v4's only end-of-input.
/// </summary>
public static class ChannelStreamBridge
{
    public static async Task RunAsync(WebSocket client, WebSocket runtime, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = ClientToRuntimeAsync(client, runtime, done.Token);
        var down = RuntimeToClientAsync(runtime, client, done.Token);
        await down;
        // The client answers the close the output's end sent it; one that does not is cut off.
        await Task.WhenAny(up, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
        await done.CancelAsync();
        await up;
    }

    private static async Task ClientToRuntimeAsync(WebSocket client, WebSocket runtime, CancellationToken cancellationToken)
    {
        var inputOpen = true;
        try
        {
            while (await WebSocketMessages.ReceiveAsync(client, cancellationToken) is { } message)
            {
                if (message.Length >= 2 && message[0] == StreamProtocols.CloseChannel)
                {
                    if (message[1] == StreamProtocols.Stdin && inputOpen)
                    {
                        inputOpen = false;
                        await runtime.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    }

                    continue;
                }

                if (inputOpen)
                {
                    await runtime.SendAsync(message, WebSocketMessageType.Binary, true, cancellationToken);
                }
            }

            if (inputOpen)
            {
                await runtime.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The runtime's side ended the stream, or the client went away: the other pump finishes it.
            if (!cancellationToken.IsCancellationRequested)
            {
                runtime.Abort();
            }
        }
    }

    private static async Task RuntimeToClientAsync(WebSocket runtime, WebSocket client, CancellationToken cancellationToken)
    {
        try
        {
            while (await WebSocketMessages.ReceiveAsync(runtime, cancellationToken) is { } message)
            {
                await client.SendAsync(message, WebSocketMessageType.Binary, true, cancellationToken);
            }

            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            if (runtime.State == WebSocketState.CloseReceived)
            {
                await runtime.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            client.Abort();
            runtime.Abort();
        }
    }
}
