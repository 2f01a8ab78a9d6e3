using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Timonel.Agent.Kubelet.Server.Spdy;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// A port-forward connection from kubectl (portforward.k8s.io over SPDY/3.1): each stream pair it opens is one TCP
/// connection to a port of the pod, carried to the runtime's port-forward WebSocket (v4.channel.k8s.io: channel 0 the
/// data, channel 1 the errors, each starting with the port as two little-endian bytes).
/// </summary>
public sealed class PortForwardSession
{
    private readonly SpdyConnection _connection;
    private readonly Func<int, CancellationToken, Task<WebSocket>> _openPort;
    private readonly ConcurrentDictionary<string, PortForwardStreamPair> _pairs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, PortForwardStreamPair> _byStream = new();
    private readonly List<Task> _forwards = [];

    public PortForwardSession(SpdyConnection connection, Func<int, CancellationToken, Task<WebSocket>> openPort)
    {
        _connection = connection;
        _openPort = openPort;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (await _connection.ReadAsync(done.Token) is { } frame)
            {
                if (frame.Type == SpdyFrameType.GoAway)
                {
                    break;
                }

                await HandleAsync(frame, done.Token);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or EndOfStreamException)
        {
            // The client went away: every forward ends with it.
        }

        foreach (var pair in _pairs.Values)
        {
            pair.FromClient.Writer.TryComplete();
        }

        await done.CancelAsync();
        await Task.WhenAll(_forwards);
    }

    private async Task HandleAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        switch (frame.Type)
        {
            case SpdyFrameType.SynStream:
                await OpenStreamAsync(frame, cancellationToken);
                break;
            case SpdyFrameType.Headers:
                // Keeps the header decompressor in step with the client's; port-forward sends nothing in them.
                _connection.Headers(frame);
                break;
            case SpdyFrameType.Ping:
                await _connection.PongAsync(frame, cancellationToken);
                break;
            case SpdyFrameType.RstStream:
                if (_byStream.TryGetValue(frame.StreamId, out var reset))
                {
                    reset.FromClient.Writer.TryComplete();
                }

                break;
            case SpdyFrameType.Data when _byStream.TryGetValue(frame.StreamId, out var pair) && frame.StreamId == pair.DataStream:
                if (frame.Payload.Length > 0)
                {
                    pair.FromClient.Writer.TryWrite(frame.Payload);
                }

                if (frame.Fin)
                {
                    pair.FromClient.Writer.TryComplete();
                }

                break;
        }
    }

    private async Task OpenStreamAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        var headers = _connection.Headers(frame);
        await _connection.ReplyAsync(frame.StreamId, cancellationToken);
        var requestId = headers.GetValueOrDefault("requestid") ?? frame.StreamId.ToString(CultureInfo.InvariantCulture);
        var pair = _pairs.GetOrAdd(requestId, id => new PortForwardStreamPair(id));
        _byStream[frame.StreamId] = pair;
        if (!int.TryParse(headers.GetValueOrDefault("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await _connection.ResetAsync(frame.StreamId, cancellationToken);
            return;
        }

        pair.Port = port;
        switch (headers.GetValueOrDefault("streamtype"))
        {
            case "data":
                pair.DataStream = frame.StreamId;
                break;
            case "error":
                pair.ErrorStream = frame.StreamId;
                break;
            default:
                await _connection.ResetAsync(frame.StreamId, cancellationToken);
                return;
        }

        if (pair.Complete)
        {
            _forwards.Add(ForwardAsync(pair, cancellationToken));
        }
    }

    private async Task ForwardAsync(PortForwardStreamPair pair, CancellationToken cancellationToken)
    {
        var data = pair.DataStream!.Value;
        var error = pair.ErrorStream!.Value;
        try
        {
            using var runtime = await _openPort(pair.Port, cancellationToken);
            var up = ClientToRuntimeAsync(pair, runtime, cancellationToken);
            await RuntimeToClientAsync(runtime, data, error, cancellationToken);
            await up;
        }
        catch (Exception e) when (e is WebSocketException or IOException or HttpRequestException or InvalidOperationException)
        {
            var message = $"error forwarding port {pair.Port} to pod: {e.Message}";
            await IgnoringClosedAsync(() => _connection.WriteDataAsync(error, Encoding.UTF8.GetBytes(message), fin: true, cancellationToken));
            await IgnoringClosedAsync(() => _connection.WriteDataAsync(data, Array.Empty<byte>(), fin: true, cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The client's connection ended.
        }
        finally
        {
            _pairs.TryRemove(pair.RequestId, out _);
            _byStream.TryRemove(data, out _);
            _byStream.TryRemove(error, out _);
        }
    }

    private static async Task ClientToRuntimeAsync(PortForwardStreamPair pair, WebSocket runtime, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var bytes in pair.FromClient.Reader.ReadAllAsync(cancellationToken))
            {
                await runtime.SendAsync((byte[])[0, .. bytes], WebSocketMessageType.Binary, true, cancellationToken);
            }

            if (runtime.State == WebSocketState.Open)
            {
                await runtime.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The runtime's side closed first.
        }
    }

    private async Task RuntimeToClientAsync(WebSocket runtime, uint data, uint error, CancellationToken cancellationToken)
    {
        var portPrefixSeen = new bool[2];
        while (await WebSocketMessages.ReceiveAsync(runtime, cancellationToken) is { } message)
        {
            if (message.Length == 0 || message[0] > 1)
            {
                continue;
            }

            var channel = message[0];
            var payload = message.AsMemory(1);
            if (!portPrefixSeen[channel])
            {
                // Each channel's first two bytes are the port, the protocol's greeting.
                portPrefixSeen[channel] = true;
                payload = payload[Math.Min(2, payload.Length)..];
            }

            if (payload.Length > 0)
            {
                await _connection.WriteDataAsync(channel == 0 ? data : error, payload, fin: false, cancellationToken);
            }
        }

        await IgnoringClosedAsync(() => _connection.WriteDataAsync(error, Array.Empty<byte>(), fin: true, cancellationToken));
        await IgnoringClosedAsync(() => _connection.WriteDataAsync(data, Array.Empty<byte>(), fin: true, cancellationToken));
    }

    private static async Task IgnoringClosedAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client's connection is gone; nothing more can reach it.
        }
    }
}
