using System.Net.WebSockets;
using Timonel.Agent.Kubelet.Server.Spdy;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// Joins a client's remote command WebSocket (v5 or v4) to the runtime's streaming server over SPDY with the
/// v4.channel.k8s.io stream protocol, as upstream's kubelet and API server reach the runtime. SPDY has a stream per
/// channel that each side ends on its own, so v5's close-stdin message (or a v4 client's close) ends only the
/// container's stdin: the command sees end of input and its output, written after, still comes back. The exit status
/// is the error stream's, passed on as channel 3; the client's stream ends when the runtime closes the connection.
/// </summary>
public sealed class RemoteCommandBridge
{
    private readonly WebSocket _client;
    private readonly SpdyConnection _runtime;
    private readonly Dictionary<uint, byte> _channelsByStream = [];
    private readonly Dictionary<byte, uint> _streamsByChannel = [];
    private readonly List<(uint Id, string Type)> _opening = [];
    private bool _stdinOpen;

    public RemoteCommandBridge(WebSocket client, SpdyConnection runtime, RemoteCommandStreams streams)
    {
        _client = client;
        _runtime = runtime;
        // client-go's order: error first, then stdin, stdout, stderr and the terminal's resize stream.
        Add("error", StreamProtocols.Error, true);
        Add("stdin", StreamProtocols.Stdin, streams.Stdin);
        Add("stdout", StreamProtocols.Stdout, streams.Stdout);
        Add("stderr", StreamProtocols.Stderr, streams.Stderr);
        Add("resize", StreamProtocols.Resize, streams.Tty);
        _stdinOpen = streams.Stdin;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var (id, type) in _opening)
        {
            await _runtime.OpenStreamAsync(id, [new("streamtype", type)], done.Token);
        }

        var up = ClientToRuntimeAsync(done);
        await RuntimeToClientAsync(done.Token);
        // The client answers the close the output's end sent it; one that does not is cut off.
        await Task.WhenAny(up, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
        await done.CancelAsync();
        await up;
    }

    private void Add(string type, byte channel, bool wanted)
    {
        if (!wanted)
        {
            return;
        }

        var id = (uint)(2 * _opening.Count + 1);
        _opening.Add((id, type));
        _channelsByStream[id] = channel;
        _streamsByChannel[channel] = id;
    }

    private async Task ClientToRuntimeAsync(CancellationTokenSource done)
    {
        var cancellationToken = done.Token;
        try
        {
            while (await WebSocketMessages.ReceiveAsync(_client, cancellationToken) is { } message)
            {
                if (message.Length == 0)
                {
                    continue;
                }

                if (message[0] == StreamProtocols.CloseChannel)
                {
                    if (message.Length >= 2 && message[1] == StreamProtocols.Stdin)
                    {
                        await EndStdinAsync(cancellationToken);
                    }

                    continue;
                }

                if (message.Length > 1 && _streamsByChannel.TryGetValue(message[0], out var id) && (message[0] != StreamProtocols.Stdin || _stdinOpen))
                {
                    await _runtime.WriteDataAsync(id, message.AsMemory(1), fin: false, cancellationToken);
                }
            }

            // A client that closes has no more input (v4's only way to say so); the output still reaches it.
            await EndStdinAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The client went away, or the runtime's side ended: nothing is left to carry either way.
            await done.CancelAsync();
        }
    }

    private async Task EndStdinAsync(CancellationToken cancellationToken)
    {
        if (_stdinOpen)
        {
            _stdinOpen = false;
            await _runtime.WriteDataAsync(_streamsByChannel[StreamProtocols.Stdin], ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken);
        }
    }

    private async Task RuntimeToClientAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The streaming server writes the exit status on the error stream, resets the streams and goes away.
            while (await _runtime.ReadAsync(cancellationToken) is { } frame && frame.Type != SpdyFrameType.GoAway)
            {
                if (!frame.IsControl)
                {
                    if (frame.Payload.Length > 0 && _channelsByStream.TryGetValue(frame.StreamId, out var channel))
                    {
                        await _client.SendAsync(Framed(channel, frame.Payload), WebSocketMessageType.Binary, true, cancellationToken);
                    }
                }
                else if (frame.Type == SpdyFrameType.Ping)
                {
                    await _runtime.PongAsync(frame, cancellationToken);
                }
            }

            await _client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            _client.Abort();
        }
    }

    private static byte[] Framed(byte channel, byte[] data)
    {
        var message = new byte[data.Length + 1];
        message[0] = channel;
        data.CopyTo(message, 1);
        return message;
    }
}
