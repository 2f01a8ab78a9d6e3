using System.Net.Sockets;
using Grpc.Core;

namespace Timonel.Commands;

/// <summary>Says in one line why etcd could not be reached at start-up, instead of a gRPC stack trace.</summary>
internal static class DatastoreFailure
{
    public static string Describe(RpcException failure, string? endpoint)
    {
        // The innermost cause (connection refused, the certificate rejected, ...) is what the user can act on.
        var cause = failure.Status.DebugException ?? failure;
        while (cause.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        // Over https, any failure but a socket error (refused, unreachable) happened in the TLS handshake; .NET reports
        // etcd refusing our client certificate as a disposed SslStream, which alone would puzzle anyone.
        var duringTls = endpoint?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true && cause is not SocketException;
        var hint = duringTls
            ? " (the TLS handshake with etcd failed: --datastore-cafile must hold the CA that signed etcd's certificate, and etcd's --trusted-ca-file must accept --datastore-certfile)"
            : "";
        return $"cannot reach the datastore at {endpoint}: {cause.Message}{hint}";
    }
}
