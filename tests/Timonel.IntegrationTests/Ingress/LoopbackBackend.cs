using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Timonel.IntegrationTests.Ingress;

/// <summary>
/// A plain HTTP server on this machine's primary address (EndpointSlices refuse loopback ones, as upstream's
/// validation does; traffic to one's own address stays on the machine) standing in for a pod: it answers every request as hello-app does
/// ("Version: x"), echoing the X-Forwarded-* headers it received, so a test sees what the proxy sent.
/// </summary>
public sealed class LoopbackBackend : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public LoopbackBackend(string version)
    {
        Port = ServerProcess.FreePort();
        _listener.Prefixes.Add($"http://{Address}:{Port}/");
        _listener.Start();
        _serving = ServeAsync(version);
    }

    public static string Address { get; } = Timonel.Agent.Kubelet.Node.MachineInfoReader.PrimaryAddress().ToString();

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(string version)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var body = Encoding.UTF8.GetBytes(
                $"Hello, world!\nVersion: {version}\nPath: {context.Request.Url?.AbsolutePath}\n" +
                $"X-Forwarded-For: {context.Request.Headers["X-Forwarded-For"]}\nX-Forwarded-Proto: {context.Request.Headers["X-Forwarded-Proto"]}\nX-Forwarded-Host: {context.Request.Headers["X-Forwarded-Host"]}\n");
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
