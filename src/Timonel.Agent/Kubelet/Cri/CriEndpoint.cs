using System.Net.Sockets;
using Grpc.Net.Client;

namespace Timonel.Agent.Kubelet.Cri;

/// <summary>
/// A CRI runtime's unix socket, as the kubelet's --container-runtime-endpoint names it (<c>unix:///run/x.sock</c>
/// or a plain path), and the gRPC channel to it. gRPC over a unix socket is HTTP/2 whose connections the handler
/// opens on the socket; the http://localhost address only fills the :authority header.
/// </summary>
public sealed record CriEndpoint(string SocketPath)
{
    private const string UnixScheme = "unix://";

    // containerd answers ListImages and ListContainers in one message; upstream's kubelet allows 16 MiB
    // (pkg/kubelet/cri/remote: maxMsgSize).
    private const int MaxMessageBytes = 16 * 1024 * 1024;

    /// <exception cref="ArgumentException">The endpoint is not a unix socket.</exception>
    public static CriEndpoint Parse(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        if (endpoint.StartsWith(UnixScheme, StringComparison.Ordinal))
        {
            endpoint = endpoint[UnixScheme.Length..];
        }
        else if (endpoint.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"container runtime endpoint \"{endpoint}\": only unix sockets are supported (unix:///path/to/socket)");
        }

        if (!Path.IsPathRooted(endpoint))
        {
            throw new ArgumentException($"container runtime endpoint \"{endpoint}\": give an absolute socket path");
        }

        return new CriEndpoint(endpoint);
    }

    public GrpcChannel OpenChannel()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            // Streams stay open as long as the kubelet runs; keep the connection alive across idle minutes.
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            EnableMultipleHttp2Connections = true,
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
            DisposeHttpClient = true,
        });
    }

    public override string ToString() => UnixScheme + SocketPath;

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
