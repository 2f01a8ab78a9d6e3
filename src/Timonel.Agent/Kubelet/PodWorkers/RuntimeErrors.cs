using Grpc.Core;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>Runtime errors written as upstream's messages show them (Go gRPC's "rpc error: code = NotFound desc = ...").</summary>
internal static class RuntimeErrors
{
    public static string Message(Exception error) => error is RpcException rpc
        ? $"rpc error: code = {rpc.StatusCode} desc = {rpc.Status.Detail}"
        : error.Message;
}
