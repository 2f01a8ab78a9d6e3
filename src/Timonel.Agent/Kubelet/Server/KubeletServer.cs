using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Timonel.Agent.Kubelet.Runtime;
using Timonel.Agent.Kubelet.Server.Logs;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// The kubelet's HTTPS API on 10250 (upstream's pkg/kubelet/server), the part the API server proxies to:
/// /containerLogs, /exec, /attach and /portForward, for the API server's client certificate only.
/// </summary>
public sealed class KubeletServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KubeletServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The port it listens on (the one picked when the options asked for 0).</summary>
    public int Port { get; }

    public static async Task<KubeletServer> StartAsync(KubeletServerOptions options, IContainerRuntime runtime, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddWebSockets(_ => { });
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Endpoint, listen =>
            {
                // Upgrades (exec, attach, port-forward) are HTTP/1.1's.
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = options.ServingCertificate;
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    // Any certificate is let through TLS so that a wrong one gets an HTTP 401/403 saying so.
                    https.ClientCertificateValidation = (_, _, _) => true;
                });
            });
        });
        var app = builder.Build();
        var routes = new KubeletRoutes(runtime, new KubeletCallerCheck(options.ClusterCa), time);
        app.UseWebSockets();
        app.Run(routes.HandleAsync);
        await app.StartAsync(cancellationToken);
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        return new KubeletServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
    }
}
