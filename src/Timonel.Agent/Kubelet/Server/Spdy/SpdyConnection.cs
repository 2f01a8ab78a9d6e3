using System.Buffers.Binary;

namespace Timonel.Agent.Kubelet.Server.Spdy;

/// <summary>
/// SPDY/3.1 framing over an upgraded connection: the server's side of what kubectl's port-forward speaks (client-go
/// httpstream/spdy over moby/spdystream), and the client's side of the runtime's remote command streams. No .NET
/// library implements SPDY, so this is the minimal part by hand: frames in and out, header blocks through
/// <see cref="SpdyHeaderCodec"/>, pings answered. SPDY's flow-control windows are not enforced (spdystream does not
/// enforce them either).
/// </summary>
public sealed class SpdyConnection : IDisposable
{
    private const int MaxFrameLength = (1 << 24) - 1;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly SpdyHeaderCodec _inbound = new();
    private readonly SpdyHeaderCodec _outbound = new();

    public SpdyConnection(Stream stream) => _stream = stream;

    /// <summary>The next frame, or null at the end of the connection.</summary>
    public async Task<SpdyFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        var head = new byte[8];
        if (await _stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken) < head.Length)
        {
            return null;
        }

        var length = (head[5] << 16) | (head[6] << 8) | head[7];
        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload, cancellationToken);
        var flags = head[4];
        if ((head[0] & 0x80) == 0)
        {
            return SpdyFrame.Data(BinaryPrimitives.ReadUInt32BigEndian(head) & 0x7fffffff, payload, (flags & SpdyFrame.FlagFin) != 0);
        }

        var type = (SpdyFrameType)BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(2));
        var streamId = type is SpdyFrameType.SynStream or SpdyFrameType.SynReply or SpdyFrameType.RstStream or SpdyFrameType.Headers or SpdyFrameType.WindowUpdate && payload.Length >= 4
            ? BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff
            : 0;
        return new SpdyFrame(true, type, flags, streamId, payload);
    }

    /// <summary>The headers of a SYN_STREAM (after its stream ids, priority and slot) or HEADERS frame.</summary>
    public Dictionary<string, string> Headers(SpdyFrame frame) =>
        _inbound.Decode(frame.Payload.AsSpan(frame.Type == SpdyFrameType.SynStream ? 10 : 4));

    /// <summary>A SYN_STREAM opening <paramref name="streamId"/> (odd on the side that dialled) with <paramref name="headers"/>.</summary>
    public Task OpenStreamAsync(uint streamId, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var block = _outbound.Encode(headers);
        // Stream id, associated stream id (none), priority and slot (both 0), then the header block.
        var payload = new byte[10 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId & 0x7fffffff);
        block.CopyTo(payload, 10);
        return WriteControlAsync(SpdyFrameType.SynStream, 0, payload, cancellationToken);
    }

    public Task ReplyAsync(uint streamId, CancellationToken cancellationToken)
    {
        var block = _outbound.Encode([]);
        var payload = new byte[4 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId);
        block.CopyTo(payload, 4);
        return WriteControlAsync(SpdyFrameType.SynReply, 0, payload, cancellationToken);
    }

    public Task PongAsync(SpdyFrame ping, CancellationToken cancellationToken) =>
        WriteControlAsync(SpdyFrameType.Ping, 0, ping.Payload, cancellationToken);

    public Task ResetAsync(uint streamId, CancellationToken cancellationToken)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), 5); // CANCEL
        return WriteControlAsync(SpdyFrameType.RstStream, 0, payload, cancellationToken);
    }

    public async Task WriteDataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        var offset = 0;
        do
        {
            var length = Math.Min(MaxFrameLength, data.Length - offset);
            var last = offset + length == data.Length;
            var head = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(head, streamId & 0x7fffffff);
            WriteFlagsAndLength(head, fin && last ? SpdyFrame.FlagFin : (byte)0, length);
            await WriteAsync(head, data.Slice(offset, length), cancellationToken);
            offset += length;
        }
        while (offset < data.Length);
    }

    private Task WriteControlAsync(SpdyFrameType type, byte flags, byte[] payload, CancellationToken cancellationToken)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(head, 0x8003);
        BinaryPrimitives.WriteUInt16BigEndian(head.AsSpan(2), (ushort)type);
        WriteFlagsAndLength(head, flags, payload.Length);
        return WriteAsync(head, payload, cancellationToken);
    }

    private static void WriteFlagsAndLength(byte[] head, byte flags, int length)
    {
        head[4] = flags;
        head[5] = (byte)(length >> 16);
        head[6] = (byte)(length >> 8);
        head[7] = (byte)length;
    }

    private async Task WriteAsync(byte[] head, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(head, cancellationToken);
            await _stream.WriteAsync(payload, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose() => _writing.Dispose();
}
