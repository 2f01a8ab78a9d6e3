using System.Net;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Services;
using Yarp.ReverseProxy.Configuration;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// The built-in Ingress controller: YARP on its own Kestrel listeners (HTTP and HTTPS with SNI; HTTP/2 through ALPN,
/// WebSockets through upgrade), configured by an <see cref="IngressController"/> reading the cluster through informers.
/// Runs on every server, not under leader election: each one serves the traffic that reaches its node.
/// </summary>
public sealed class IngressProxyServer : IComponent
{
    private readonly ClusterConnection _connection;
    private readonly IngressOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Kubernetes? _client;
    private SharedInformerFactory? _informers;
    private EventBroadcaster? _events;
    private IngressController? _controller;
    private WebApplication? _app;
    private ServerBackedServicePublisher? _publisher;
    private Task _publishing = Task.CompletedTask;
    private readonly CancellationTokenSource _stopping = new();

    public IngressProxyServer(ClusterConnection connection, IngressOptions options, ILoggerFactory loggerFactory)
    {
        _connection = connection;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<IngressProxyServer>();
    }

    public string Name => "ingress";

    public Task Ready => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var client = _client = _connection.CreateClient();
        var time = TimeProvider.System;
        await DefaultIngressClass.EnsureAsync(client, _logger, cancellationToken);
        var informers = _informers = new SharedInformerFactory(_loggerFactory, time);
        var serving = new IngressServing();
        _events = new EventBroadcaster(new KubernetesEventSink(client), time, _loggerFactory.CreateLogger<EventBroadcaster>());
        _controller = new IngressController(
            client,
            informers.For(NetworkingListWatches.Ingresses(client)),
            informers.For(ServiceListWatches.Services(client)),
            informers.For(ServiceListWatches.EndpointSlices(client, IngressController.ServiceNameLabel)),
            informers.For(CoreListWatches.Secrets(client, $"type={TlsSecrets.SecretType}")),
            serving,
            _options.StatusAddresses,
            _events.NewRecorder(IngressController.Component),
            time,
            _loggerFactory.CreateLogger<IngressController>());

        _app = Build(serving);
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Another proxy already holds the ports: the control plane still runs, without this controller.
            _logger.LogError(
                "ingress controller not started: listen tcp {Address}:{HttpPort} or :{HttpsPort}: bind: address already in use (--ingress-http-port, --ingress-https-port or --disable ingress)",
                _options.BindAddress,
                _options.HttpPort,
                _options.HttpsPort);
            await _app.DisposeAsync();
            _app = null;
            _ready.TrySetResult();
            return;
        }

        await _controller.StartAsync(cancellationToken);
        informers.Start();
        if (_options.StatusAddresses is [var address, ..] && IPAddress.TryParse(address, out var endpoint))
        {
            // In the background, as the cluster DNS publishes kube-dns: the API server may still be settling.
            _publisher = new ServerBackedServicePublisher(client, IngressService.Definition(_options.HttpPort, _options.HttpsPort), endpoint);
            _publishing = _publisher.PublishAsync(_logger, _stopping.Token);
        }

        _ = _controller.InformersSynced.ContinueWith(_ => _ready.TrySetResult(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _publishing;
        }
        catch (OperationCanceledException)
        {
        }

        if (_publisher is not null && _publishing.IsCompletedSuccessfully)
        {
            await _publisher.WithdrawAsync(_logger, TimeSpan.FromSeconds(5));
        }

        _stopping.Dispose();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        if (_app is not null)
        {
            await _app.StopAsync(stopping.Token);
            await _app.DisposeAsync();
        }

        if (_controller is not null)
        {
            await _controller.StopAsync(stopping.Token);
            _controller.Dispose();
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        if (_events is not null)
        {
            await _events.DisposeAsync();
        }

        _client?.Dispose();
    }

    private WebApplication Build(IngressServing serving)
    {
        // The empty builder, as the API server's: no configuration files, no default logging; Kestrel and YARP only.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.TryAddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddRouting();
        builder.Services.AddSingleton<IProxyConfigProvider>(serving.Routes);
        builder.Services.AddSingleton(serving.HostOwners);
        builder.Services.AddReverseProxy();
        builder.Services.AddSingleton<MatcherPolicy, WildcardHostPolicy>();
        builder.Services.AddSingleton<MatcherPolicy, CaseSensitivePathPolicy>();
        builder.Services.AddSingleton<MatcherPolicy, HostOwnerPolicy>();
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(_options.BindAddress, _options.HttpPort);
            kestrel.Listen(_options.BindAddress, _options.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https => https.ServerCertificateSelector = (_, serverName) => serving.Certificates.Select(serverName));
            });
        });
        var app = builder.Build();
        app.MapReverseProxy();
        return app;
    }
}
