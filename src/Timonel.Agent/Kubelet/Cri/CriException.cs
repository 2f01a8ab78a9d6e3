using Grpc.Core;

namespace Timonel.Agent.Kubelet.Cri;

/// <summary>
/// A CRI call the runtime refused or could not answer, named by its method so a log line says what failed
/// ("CRI RunPodSandbox: failed to ..."). It stays an <see cref="RpcException"/> so callers can still read the gRPC code.
/// </summary>
public sealed class CriException(string method, RpcException inner)
    : RpcException(inner.Status, inner.Trailers, $"CRI {method}: {Describe(inner)}")
{
    public string Method { get; } = method;

    private static string Describe(RpcException exception) => exception.StatusCode switch
    {
        StatusCode.Unavailable => $"the container runtime is not reachable ({exception.Status.Detail})",
        StatusCode.DeadlineExceeded => "the container runtime did not answer in time",
        _ => string.IsNullOrEmpty(exception.Status.Detail) ? exception.StatusCode.ToString() : exception.Status.Detail,
    };
}
