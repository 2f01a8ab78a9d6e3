using Microsoft.AspNetCore.Http;
using Timonel.Agent.Kubelet.Runtime;
using Timonel.Agent.Kubelet.Server.Logs;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>The kubelet API's paths, after the caller is checked.</summary>
public sealed class KubeletRoutes
{
    private readonly KubeletCallerCheck _callers;
    private readonly ContainerLogsEndpoint _logs;
    private readonly RemoteCommandEndpoint _remoteCommands;
    private readonly PortForwardEndpoint _portForwards;

    public KubeletRoutes(IContainerRuntime runtime, KubeletCallerCheck callers, TimeProvider time)
    {
        _callers = callers;
        var containers = new PodContainers(runtime);
        var dialer = new RuntimeStreamDialer();
        _logs = new ContainerLogsEndpoint(containers, new ContainerLogReader(), time);
        _remoteCommands = new RemoteCommandEndpoint(containers, runtime, dialer);
        _portForwards = new PortForwardEndpoint(containers, runtime, dialer);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        switch (_callers.Check(certificate))
        {
            case 401:
                await KubeletResponses.TextAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized");
                return;
            case 403:
                await KubeletResponses.TextAsync(context, StatusCodes.Status403Forbidden, $"Forbidden (user={certificate!.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)}, verb={context.Request.Method.ToLowerInvariant()}, resource=nodes, subresource=proxy)");
                return;
        }

        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var method = context.Request.Method;
        switch (segments)
        {
            case ["healthz"]:
                await context.Response.WriteAsync("ok", context.RequestAborted);
                return;
            case ["containerLogs", var ns, var pod, var container] when method == "GET":
                await _logs.HandleAsync(context, ns, pod, container);
                return;
            case ["exec" or "attach", var ns, var pod, var container] when method is "GET" or "POST":
                await _remoteCommands.HandleAsync(context, segments[0] == "exec", ns, pod, container);
                return;
            case ["portForward", var ns, var pod] when method is "GET" or "POST":
                await _portForwards.HandleAsync(context, ns, pod);
                return;
            default:
                await KubeletResponses.TextAsync(context, StatusCodes.Status404NotFound, "404 page not found");
                return;
        }
    }
}
