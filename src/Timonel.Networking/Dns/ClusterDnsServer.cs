using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.Hosts;
using Timonel.Client.Informers;
using Timonel.Client.Services;

namespace Timonel.Networking.Dns;

/// <summary>
/// The cluster DNS (K3s' packaged CoreDNS, built in): answers the cluster's names from Service and EndpointSlice
/// informers and forwards the rest to the host's resolvers, on UDP and TCP at the node address; a UDP answer too large
/// for the client is sent truncated (TC) so the client asks again over TCP. It publishes itself as kube-system/kube-dns.
/// </summary>
public sealed class ClusterDnsServer : IComponent
{
    private readonly ClusterConnection _connection;
    private readonly ClusterDnsOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ZoneAnswerCache _answers = new();
    private Kubernetes? _client;
    private SharedInformerFactory? _informers;
    private DnsServer? _server;
    private ServerBackedServicePublisher? _publisher;
    private Task _starting = Task.CompletedTask;
    private long _serial = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public ClusterDnsServer(ClusterConnection connection, ClusterDnsOptions options, ILoggerFactory loggerFactory)
    {
        _connection = connection;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClusterDnsServer>();
    }

    public string Name => "cluster-dns";

    public Task Ready => _ready.Task;

    /// <summary>Checks the address is free (a clear error now rather than a server that never answers), then syncs its caches and serves.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = new IPEndPoint(_options.ListenAddress, _options.Port);
        EnsureFree(endpoint);
        var client = _client = _connection.CreateClient();
        var informers = _informers = new SharedInformerFactory(_loggerFactory, TimeProvider.System);
        var services = informers.For(ServiceListWatches.Services(client));
        var slices = informers.For(ServiceListWatches.EndpointSlices(client, ServiceDirectory.ServiceNameLabel));
        services.AddHandlers(new InformerHandlers<V1Service>(_ => Touch(), (_, _) => Touch(), _ => Touch()));
        slices.AddHandlers(new InformerHandlers<V1EndpointSlice>(_ => Touch(), (_, _) => Touch(), _ => Touch()));
        var zone = new KubernetesZone(new ServiceDirectory(services, slices), _options.ClusterDomain, () => (uint)Interlocked.Read(ref _serial));
        var upstreams = UpstreamServers(_options.ResolvConf);
        var forwarder = new UpstreamForwarder(upstreams, new ForwardCache(TimeProvider.System), _logger);
        var handler = new DnsQueryHandler(zone, forwarder, _answers);
        _publisher = new ServerBackedServicePublisher(client, KubeDnsService.Definition(_options.ServiceIP, _options.Port), _options.ListenAddress);
        informers.Start();
        _starting = ServeAsync(services, slices, handler, endpoint, _stopping.Token);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _starting.ConfigureAwait(false);
        _server?.Stop();
        (_server as IDisposable)?.Dispose();
        if (_publisher is not null && _ready.Task.IsCompletedSuccessfully)
        {
            await _publisher.WithdrawAsync(_logger, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync().ConfigureAwait(false);
        }

        _client?.Dispose();
        _stopping.Dispose();
        _ready.TrySetCanceled();
    }

    private async Task ServeAsync(ISharedInformer services, ISharedInformer slices, DnsQueryHandler handler, IPEndPoint endpoint, CancellationToken stopping)
    {
        try
        {
            await Task.WhenAll(services.Synced, slices.Synced).WaitAsync(stopping).ConfigureAwait(false);
            var server = _server = new DnsServer([new UdpServerTransport(endpoint), new TcpServerTransport(endpoint)]);
            server.QueryReceived += handler.OnQueryReceivedAsync;
            server.Start();
            await _publisher!.PublishAsync(_logger, stopping).ConfigureAwait(false);
            _logger.LogInformation("cluster DNS serving {Zone} on {Endpoint} (udp, tcp), forwarding other names to {Upstreams}", _options.ClusterDomain, endpoint, string.Join(", ", UpstreamServers(_options.ResolvConf)));
            _ready.TrySetResult();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            _ready.TrySetCanceled(stopping);
        }
        catch (Exception ex)
        {
            // A failure here (the port taken since EnsureFree looked) fails the server's start with its cause, rather
            // than leaving it waiting for a DNS that never serves.
            _ready.TrySetException(ex);
        }
    }

    private void Touch()
    {
        Interlocked.Exchange(ref _serial, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _answers.Invalidate();
    }

    /// <summary>The resolv.conf's nameservers, without this DNS itself (a loop).</summary>
    private IReadOnlyList<IPAddress> UpstreamServers(string resolvConf) =>
        [.. ResolverConfig.Read(resolvConf).Nameservers
            .Select(text => IPAddress.TryParse(text, out var address) ? address : null)
            .OfType<IPAddress>()
            .Where(address => !(_options.Port == 53 && (address.Equals(_options.ListenAddress) || address.Equals(_options.ServiceIP))))];

    private static void EnsureFree(IPEndPoint endpoint)
    {
        foreach (var type in new[] { SocketType.Dgram, SocketType.Stream })
        {
            using var socket = new Socket(endpoint.AddressFamily, type, type == SocketType.Dgram ? ProtocolType.Udp : ProtocolType.Tcp);
            try
            {
                socket.Bind(endpoint);
            }
            catch (SocketException ex)
            {
                // Go's words, as CoreDNS would print them.
                throw new IOException($"listen {(type == SocketType.Dgram ? "udp" : "tcp")} {endpoint}: bind: {ex.Message.ToLowerInvariant()} (--disable coredns turns the cluster DNS off)", ex);
            }
        }
    }
}
