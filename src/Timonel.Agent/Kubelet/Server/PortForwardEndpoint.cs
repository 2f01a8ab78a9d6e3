using Microsoft.AspNetCore.Http;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>/portForward/{namespace}/{pod}: the pod's sandbox, reached through the runtime's port-forward stream.</summary>
public sealed class PortForwardEndpoint
{
    private readonly PodContainers _containers;
    private readonly IContainerRuntime _runtime;
    private readonly RuntimeStreamDialer _dialer;

    public PortForwardEndpoint(PodContainers containers, IContainerRuntime runtime, RuntimeStreamDialer dialer)
    {
        _containers = containers;
        _runtime = runtime;
        _dialer = dialer;
    }

    public async Task HandleAsync(HttpContext context, string ns, string pod)
    {
        var sandbox = await _containers.SandboxAsync(ns, pod, context.RequestAborted);
        if (sandbox is null)
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status404NotFound, $"pod not found (\"{pod}_{ns}\")");
            return;
        }

        _ = _runtime;
        _ = _dialer;
        await KubeletResponses.TextAsync(context, StatusCodes.Status501NotImplemented, "port-forward is not served by this kubelet yet");
    }
}
