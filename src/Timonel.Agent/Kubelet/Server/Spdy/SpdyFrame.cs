namespace Timonel.Agent.Kubelet.Server.Spdy;

/// <summary>
/// One SPDY/3 frame: a control frame (version 3, a type, flags and a payload) or a data frame (a stream id, flags and
/// data). The 8-byte frame header is <see cref="SpdyConnection"/>'s business.
/// </summary>
public sealed record SpdyFrame(bool IsControl, SpdyFrameType Type, byte Flags, uint StreamId, byte[] Payload)
{
    public const byte FlagFin = 0x01;

    public bool Fin => (Flags & FlagFin) != 0;

    public static SpdyFrame Data(uint streamId, byte[] data, bool fin) =>
        new(false, SpdyFrameType.Data, fin ? FlagFin : (byte)0, streamId, data);
}
