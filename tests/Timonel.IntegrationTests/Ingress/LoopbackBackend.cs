using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Timonel.IntegrationTests.Ingress;

/// <summary>
/// A plain HTTP server on this machine's primary address (EndpointSlices refuse loopback ones, as upstream's
/// validation does; traffic to one's own address stays on the machine) standing in for a pod: it answers every request as hello-app does
/// ("Version: x"), echoing the X-Forwarded-* headers it received, so a test sees what the proxy sent; a WebSocket
/// upgrade gets an echo of every message, prefixed with the version.
/// </summary>
public sealed class LoopbackBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    public LoopbackBackend(string version)
    {
        Port = ServerProcess.FreePort();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(Address), Port));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(context => context.WebSockets.IsWebSocketRequest ? EchoAsync(context, version) : HelloAsync(context, version));
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public static string Address { get; } = Timonel.Agent.Kubelet.Node.MachineInfoReader.PrimaryAddress().ToString();

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task HelloAsync(HttpContext context, string version)
    {
        var headers = context.Request.Headers;
        var body = $"Hello, world!\nVersion: {version}\nPath: {context.Request.Path}\n" +
            $"X-Forwarded-For: {headers["X-Forwarded-For"]}\nX-Forwarded-Proto: {headers["X-Forwarded-Proto"]}\nX-Forwarded-Host: {headers["X-Forwarded-Host"]}\n";
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(body);
    }

    private static async Task EchoAsync(HttpContext context, string version)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                return;
            }

            var reply = Encoding.UTF8.GetBytes($"{version}: {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
            await socket.SendAsync(reply, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
        }
    }
}
