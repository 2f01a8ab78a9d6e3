using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.Informers;

namespace Timonel.Agent.Proxy;

/// <summary>
/// The node's Service proxy (kube-proxy in nftables mode, built into the agent as K3s bundles it): follows Services
/// and EndpointSlices through informers and keeps Timonel's nftables table matching them, each change one atomic
/// transaction of only what changed, changes within <see cref="ServiceProxyOptions.MinSyncPeriod"/> coalesced.
/// </summary>
public sealed class ServiceProxy : IComponent
{
    private const string SliceServiceIndex = "service";

    private static readonly IndexFunc<V1EndpointSlice> _byService = slice =>
        SliceEndpoints.ServiceOf(slice) is { } service ? [ObjectKey.For(slice.Metadata.NamespaceProperty, service)] : [];

    private readonly ClusterConnection _connection;
    private readonly ServiceProxyOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IProxyBackend _backend;
    private readonly ServiceChangeTracker _changes = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private SharedInformerFactory? _informers;
    private SharedInformer<V1Service>? _services;
    private SharedInformer<V1EndpointSlice>? _slices;
    private Task _loop = Task.CompletedTask;

    /// <param name="backend">The kernel side (<see cref="ProxyModes.Choose"/>); nftables through the nft command when null.</param>
    public ServiceProxy(ClusterConnection connection, ServiceProxyOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null, IProxyBackend? backend = null)
    {
        _connection = connection;
        _options = options;
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<ServiceProxy>();
        _backend = backend ?? new NftablesBackend(new NftCommand(), options.ClusterCidr, _time, _logger);
    }

    public string Name => "proxy";

    /// <summary>Completes once the rules for every Service known at start are in the kernel.</summary>
    public Task Ready => _firstSync.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ProxySysctls.Apply(_logger);
        var client = _connection.CreateClient();
        var informers = _informers = new SharedInformerFactory(_loggerFactory, _time);
        _services = informers.For(ServiceListWatches.Services(client));
        _slices = informers.For(ServiceListWatches.EndpointSlices(client, ProxyLabels.SliceSelector));
        var loop = new SyncLoop(SyncAsync, _options.MinSyncPeriod, _options.SyncPeriod, _time, _logger);
        _slices.AddIndexer(SliceServiceIndex, _byService);
        _services.AddHandlers(new InformerHandlers<V1Service>(
            s => Changed(loop, ObjectKey.Of(s)), (_, s) => Changed(loop, ObjectKey.Of(s)), s => Changed(loop, ObjectKey.Of(s))));
        _slices.AddHandlers(new InformerHandlers<V1EndpointSlice>(
            s => SliceChanged(loop, s),
            (old, s) =>
            {
                SliceChanged(loop, old);
                SliceChanged(loop, s);
            },
            s => SliceChanged(loop, s)));
        informers.Start();
        _loop = Task.Run(async () =>
        {
            // Rules from a partial view would reject Services whose slices are not listed yet: wait for both lists.
            await Task.WhenAll(_services.Synced, _slices.Synced).WaitAsync(_stopping.Token).ConfigureAwait(false);
            loop.Request();
            await loop.RunAsync(_stopping.Token).ConfigureAwait(false);
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    private void Changed(SyncLoop loop, string serviceKey)
    {
        _changes.MarkChanged(serviceKey);
        loop.Request();
    }

    private void SliceChanged(SyncLoop loop, V1EndpointSlice slice)
    {
        if (SliceEndpoints.ServiceOf(slice) is { } service)
        {
            Changed(loop, ObjectKey.For(slice.Metadata.NamespaceProperty, service));
        }
    }

    /// <summary>The ports and endpoints of the Services changed since the last sync, as the caches have them now.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ServicePortEndpoints>> TakeChanges() =>
        _changes.TakeChanged().ToDictionary(key => key, PortsOf, StringComparer.Ordinal);

    private IReadOnlyList<ServicePortEndpoints> PortsOf(string serviceKey)
    {
        var (ns, name) = ObjectKey.Split(serviceKey);
        if (_services!.Cache.Get(ns, name) is not { } service)
        {
            return [];
        }

        var slices = _slices!.Cache.ByIndex(SliceServiceIndex, serviceKey);
        return [.. ProxyServicePort.Of(service).Select(p => new ServicePortEndpoints(p, SliceEndpoints.For(p, slices, _options.NodeName)))];
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _backend.SyncAsync(TakeChanges(), cancellationToken).ConfigureAwait(false);
        if (_firstSync.TrySetResult())
        {
            _logger.LogInformation("service proxy ready ({Mode} mode): {Rules}", _backend.Mode, _backend.Describe());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
