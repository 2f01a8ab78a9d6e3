using System.Threading.Channels;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// One forwarded connection of a port-forward (portforward.k8s.io): the client opens an error stream and a data
/// stream with the same requestID and port; the data stream's bytes go to the pod's port and back, the error stream
/// carries what went wrong.
/// </summary>
public sealed class PortForwardStreamPair
{
    public PortForwardStreamPair(string requestId) => RequestId = requestId;

    public string RequestId { get; }

    public int Port { get; set; }

    public uint? DataStream { get; set; }

    public uint? ErrorStream { get; set; }

    /// <summary>What the client sent on the data stream, completed when it half-closed it.</summary>
    public Channel<byte[]> FromClient { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public bool Complete => DataStream is not null && ErrorStream is not null;
}
