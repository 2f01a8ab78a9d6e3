using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;
using Timonel.Agent.Kubelet.Server.Spdy;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// /portForward/{namespace}/{pod}: kubectl's SPDY/3.1 port-forward connection (portforward.k8s.io), each forwarded
/// connection carried to the runtime's port-forward stream into the pod's sandbox. A WebSocket request (kubectl's
/// SPDY-over-WebSocket tunnel) is refused as an upgrade failure, on which kubectl falls back to plain SPDY.
/// </summary>
public sealed class PortForwardEndpoint
{
    public const string Protocol = "portforward.k8s.io";

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
        var cancellationToken = context.RequestAborted;
        var sandbox = await _containers.SandboxAsync(ns, pod, cancellationToken);
        if (sandbox is null)
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status404NotFound, $"pod not found (\"{pod}_{ns}\")");
            return;
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (context.WebSockets.IsWebSocketRequest || upgrade is not { IsUpgradableRequest: true }
            || !string.Equals(context.Request.Headers.Upgrade.ToString(), "SPDY/3.1", StringComparison.OrdinalIgnoreCase))
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status400BadRequest, "port-forward needs an upgrade to SPDY/3.1 (portforward.k8s.io)");
            return;
        }

        var offered = context.Request.Headers["X-Stream-Protocol-Version"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
        if (offered.Count > 0 && !offered.Contains(Protocol))
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status403Forbidden, $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', offered)}], server supports [{Protocol}]");
            return;
        }

        context.Response.Headers.Upgrade = "SPDY/3.1";
        context.Response.Headers["X-Stream-Protocol-Version"] = Protocol;
        await using var stream = await upgrade.UpgradeAsync();
        using var connection = new SpdyConnection(stream);
        await new PortForwardSession(connection, (port, token) => OpenPortAsync(sandbox.Id, port, token)).RunAsync(cancellationToken);
    }

    private async Task<WebSocket> OpenPortAsync(string sandboxId, int port, CancellationToken cancellationToken)
    {
        var request = new PortForwardRequest { PodSandboxId = sandboxId };
        request.Port.Add(port);
        var url = await _runtime.PortForwardAsync(request, cancellationToken);
        return await _dialer.ConnectAsync(url, StreamProtocols.V4, cancellationToken);
    }
}
