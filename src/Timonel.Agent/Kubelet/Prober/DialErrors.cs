using System.Net.Sockets;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>A failed TCP connection as Go's net.Dial words it, the text upstream's probe events carry.</summary>
internal static class DialErrors
{
    public static string Describe(Exception error, string address) => error switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"dial tcp {address}: connect: connection refused",
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable } => $"dial tcp {address}: connect: network is unreachable",
        SocketException { SocketErrorCode: SocketError.HostUnreachable } => $"dial tcp {address}: connect: no route to host",
        OperationCanceledException or TimeoutException => $"dial tcp {address}: i/o timeout",
        SocketException socket => $"dial tcp {address}: {socket.Message}",
        _ when error.InnerException is { } inner => Describe(inner, address),
        _ => $"dial tcp {address}: {error.Message}",
    };
}
