namespace Timonel.Agent.Kubelet.Server.Spdy;

/// <summary>SPDY/3 control frame types (data frames are <see cref="Data"/>).</summary>
public enum SpdyFrameType
{
    Data = 0,
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}
