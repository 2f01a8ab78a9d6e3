using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;
using Timonel.Agent.Kubelet.Server.Spdy;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// /exec/{namespace}/{pod}/{container}?command=..&amp;input=1&amp;output=1&amp;error=1&amp;tty=1 and /attach/...: the
/// container's newest running attempt, the runtime's streaming URL for it (CRI Exec or Attach), and the client's
/// WebSocket joined to the runtime's streams over SPDY (<see cref="RemoteCommandBridge"/>), or over WebSocket where the
/// runtime's streaming server does not switch to SPDY (<see cref="ChannelStreamBridge"/>). A client that asks for SPDY
/// itself is passed through to the runtime (<see cref="SpdyPassthrough"/>).
/// </summary>
public sealed class RemoteCommandEndpoint
{
    private readonly PodContainers _containers;
    private readonly IContainerRuntime _runtime;
    private readonly RuntimeStreamDialer _dialer;
    private readonly SpdyPassthrough _spdyClients;

    public RemoteCommandEndpoint(PodContainers containers, IContainerRuntime runtime, RuntimeStreamDialer dialer)
    {
        _containers = containers;
        _runtime = runtime;
        _dialer = dialer;
        _spdyClients = new SpdyPassthrough(dialer);
    }

    public async Task HandleAsync(HttpContext context, bool exec, string ns, string pod, string container)
    {
        var cancellationToken = context.RequestAborted;
        var query = context.Request.Query;
        var stdin = IsTrue(query, "input");
        var stdout = IsTrue(query, "output");
        var stderr = IsTrue(query, "error");
        var tty = IsTrue(query, "tty");
        var command = query["command"].Select(c => c ?? "").ToList();
        if (exec && command.Count == 0)
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status400BadRequest, "missing command");
            return;
        }

        var target = await _containers.RunningAsync(ns, pod, container, cancellationToken);
        if (target is null)
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status404NotFound, $"container not found (\"{container}\")");
            return;
        }

        var spdyClient = SpdyPassthrough.IsRequested(context);
        if (!spdyClient && !context.WebSockets.IsWebSocketRequest)
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status400BadRequest, $"Upgrade request required: the kubelet serves streams over WebSocket ({string.Join(", ", StreamProtocols.Served)}) or SPDY/3.1");
            return;
        }

        var protocol = StreamProtocols.Served.FirstOrDefault(p => context.WebSockets.WebSocketRequestedProtocols.Contains(p));
        if (!spdyClient && protocol is null)
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status400BadRequest, $"unsupported stream protocols [{string.Join(", ", context.WebSockets.WebSocketRequestedProtocols)}]; served: {string.Join(", ", StreamProtocols.Served)}");
            return;
        }

        var url = exec
            ? await _runtime.ExecAsync(ExecRequest(target.Id, command, tty, stdin, stdout, stderr), cancellationToken)
            : await _runtime.AttachAsync(new AttachRequest { ContainerId = target.Id, Stdin = stdin, Tty = tty, Stdout = stdout, Stderr = stderr }, cancellationToken);
        if (spdyClient)
        {
            await _spdyClients.RunAsync(context, url);
            return;
        }

        Stream? spdy = null;
        WebSocket? webSocket = null;
        try
        {
            try
            {
                spdy = (await _dialer.UpgradeToSpdyAsync(url, [StreamProtocols.V4], cancellationToken)).Stream;
            }
            catch (HttpRequestException)
            {
                // A streaming server that does not switch to SPDY (containerd's always does) may speak the WebSocket
                // protocol: over it, a client's end of input can only end the whole stream, as v4 WebSockets do.
                webSocket = await _dialer.ConnectAsync(url, StreamProtocols.V4, cancellationToken);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or HttpRequestException or WebSocketException or UriFormatException)
        {
            await KubeletResponses.RuntimeUnreachableAsync(context, e);
            return;
        }

        if (webSocket is not null)
        {
            using (webSocket)
            {
                using var client = await context.WebSockets.AcceptWebSocketAsync(protocol);
                await ChannelStreamBridge.RunAsync(client, webSocket, cancellationToken);
            }

            return;
        }

        await using (spdy!)
        {
            using var runtime = new SpdyConnection(spdy!);
            using var client = await context.WebSockets.AcceptWebSocketAsync(protocol);
            await new RemoteCommandBridge(client, runtime, new RemoteCommandStreams(stdin, stdout, stderr, tty)).RunAsync(cancellationToken);
        }
    }

    private static ExecRequest ExecRequest(string containerId, List<string> command, bool tty, bool stdin, bool stdout, bool stderr)
    {
        var request = new ExecRequest { ContainerId = containerId, Tty = tty, Stdin = stdin, Stdout = stdout, Stderr = stderr };
        request.Cmd.AddRange(command);
        return request;
    }

    private static bool IsTrue(IQueryCollection query, string name) =>
        query[name].ToString() is "1" or "t" or "T" or "TRUE" or "true" or "True";
}
