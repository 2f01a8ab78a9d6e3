using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Kubelet.Server;

namespace Timonel.IntegrationTests;

/// <summary>
/// A runtime streaming server speaking v4.channel.k8s.io as containerd's does (an empty stdout message first, the exit
/// status as a Status on channel 3, input ending only with the WebSocket's close), running a few commands itself:
/// <c>echo ARGS</c>, <c>sh -c "exit N"</c>, <c>cat</c> (stdin back on stdout), and <c>size</c> (each terminal resize
/// written out as WIDTHxHEIGHT); and port-forwards to a pod port that answers each message with "pong: " and it.
/// </summary>
public sealed class FakeStreamingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeStreamingRuntime _runtime;

    private FakeStreamingServer(WebApplication app, FakeStreamingRuntime runtime)
    {
        _app = app;
        _runtime = runtime;
    }

    public static async Task<FakeStreamingServer> StartAsync(FakeStreamingRuntime runtime)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.AddLogging();
        builder.Services.AddWebSockets(_ => { });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeStreamingServer(app, runtime);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        runtime.StreamingServer = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var token = context.Request.Path.Value!.Split('/').Last();
        if (_runtime.Session(token) is not { } session || !context.WebSockets.WebSocketRequestedProtocols.Contains(StreamProtocols.V4))
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(StreamProtocols.V4);
        if (token.StartsWith("portforward", StringComparison.Ordinal))
        {
            await PongAsync(socket, ushort.Parse(session.Cmd[0], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        await SendAsync(socket, 1, []);
        var command = session.Cmd.ToList();
        switch (command)
        {
            case ["echo", .. var words]:
                await SendAsync(socket, 1, Encoding.UTF8.GetBytes(string.Join(' ', words) + "\n"));
                await ExitAsync(socket, 0);
                break;
            case ["sh", "-c", var script] when script.StartsWith("exit ", StringComparison.Ordinal):
                await ExitAsync(socket, int.Parse(script[5..], System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ["cat"] or ["size"]:
                await EchoAsync(socket, command[0] == "size");
                break;
            default:
                await ExitAsync(socket, 127);
                break;
        }
    }

    /// <summary>Until the input ends (the WebSocket's close, v4's only end of input); the output ends with it.</summary>
    private static async Task EchoAsync(WebSocket socket, bool sizes)
    {
        while (await WebSocketMessages.ReceiveAsync(socket, CancellationToken.None) is { } message)
        {
            if (message.Length > 1 && message[0] == 0 && !sizes)
            {
                await SendAsync(socket, 1, message[1..]);
            }

            if (message.Length > 1 && message[0] == 4 && sizes)
            {
                using var size = System.Text.Json.JsonDocument.Parse(message.AsMemory(1));
                await SendAsync(socket, 1, Encoding.UTF8.GetBytes($"{size.RootElement.GetProperty("Width")}x{size.RootElement.GetProperty("Height")}\n"));
            }
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    /// <summary>The port-forward protocol's greeting (the port on each channel), then a reply to every data message.</summary>
    private static async Task PongAsync(WebSocket socket, ushort port)
    {
        byte[] greeting = [(byte)port, (byte)(port >> 8)];
        await SendAsync(socket, 0, greeting);
        await SendAsync(socket, 1, greeting);
        while (await WebSocketMessages.ReceiveAsync(socket, CancellationToken.None) is { } message)
        {
            if (message.Length > 1 && message[0] == 0)
            {
                await SendAsync(socket, 0, [.. "pong: "u8, .. message[1..]]);
            }
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private static async Task ExitAsync(WebSocket socket, int code)
    {
        var status = code == 0
            ? """{"metadata":{},"status":"Success"}"""
            : "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: error executing command, exit status " + code + "\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"" + code + "\"}]}}";
        await SendAsync(socket, 3, Encoding.UTF8.GetBytes(status));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private static Task SendAsync(WebSocket socket, byte channel, byte[] data) =>
        socket.SendAsync((byte[])[channel, .. data], WebSocketMessageType.Binary, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
