namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// The WebSocket subprotocols of the remote command streams (client-go tools/remotecommand): every message's first
/// byte is its channel (0 stdin, 1 stdout, 2 stderr, 3 error status, 4 terminal resize). v5 adds channel 255, "close
/// the channel in the next byte", which lets a client end stdin and still read the output.
/// </summary>
public static class StreamProtocols
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";

    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Error = 3;
    public const byte Resize = 4;
    public const byte CloseChannel = 255;

    /// <summary>What the kubelet speaks to clients, preferred first.</summary>
    public static readonly IReadOnlyList<string> Served = [V5, V4];
}
