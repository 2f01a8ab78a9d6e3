using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Cloud.Service;

/// <summary>
/// Gives Services of type LoadBalancer a balancer from the cloud (k8s.io/cloud-provider's service controller). A
/// <c>namespace/name</c> key ensures or deletes one Service's balancer: the cleanup finalizer is added before the
/// balancer is made and removed once it is gone, so a Service is never deleted before its balancer; events as
/// upstream's (EnsuringLoadBalancer, EnsuredLoadBalancer, DeletingLoadBalancer, DeletedLoadBalancer,
/// SyncLoadBalancerFailed, UnAvailableLoadBalancer). <see cref="NodeSyncKey"/> points every existing balancer at the
/// current node set when a node joins, leaves, or changes readiness or addresses (UpdatedLoadBalancer), and writes
/// the status the cloud then reports. Services with a loadBalancerClass are another implementation's.
/// </summary>
public sealed class ServiceController : ControllerBase
{
    public const string Component = "service-controller";
    public const string NodeSyncKey = "";

    private readonly ILoadBalancer _balancer;
    private readonly string _clusterName;
    private readonly SharedInformer<V1Service> _services;
    private readonly SharedInformer<V1Node> _nodes;
    private readonly ServiceWrites _writes;
    private readonly IEventRecorder _recorder;

    // The last Service seen per key (upstream's serviceCache): a deleted Service's balancer is deleted with it.
    private readonly ConcurrentDictionary<string, V1Service> _known = new(StringComparer.Ordinal);

    // The node set the balancers were last pointed at; null until the first node sync, which only records it (the
    // Services' own syncs at start already ensured their balancers with the nodes of then).
    private string? _lastNodeSet;

    public ServiceController(IKubernetes client, ILoadBalancer balancer, string clusterName, SharedInformer<V1Service> services, SharedInformer<V1Node> nodes, IEventRecorder recorder, TimeProvider time, ILogger<ServiceController> logger)
        : base(logger, time, [services, nodes])
    {
        _balancer = balancer;
        _clusterName = clusterName;
        _services = services;
        _nodes = nodes;
        _writes = new ServiceWrites(client);
        _recorder = recorder;
        services.AddHandlers(new InformerHandlers<V1Service>(
            service =>
            {
                if (LoadBalancerServices.IsHandled(service))
                {
                    Enqueue(ObjectKey.Of(service));
                }
            },
            (old, service) =>
            {
                if (ServiceChanges.NeedsUpdate(old, service) || LoadBalancerServices.NeedsCleanup(service))
                {
                    Enqueue(ObjectKey.Of(service));
                }
            },
            service =>
            {
                if (LoadBalancerServices.WantsLoadBalancer(service) || LoadBalancerServices.HasCleanupFinalizer(service))
                {
                    Enqueue(ObjectKey.Of(service));
                }
            }));
        nodes.AddHandlers(new InformerHandlers<V1Node>(
            _ => Enqueue(NodeSyncKey),
            (old, node) =>
            {
                if (LoadBalancerNodes.Fingerprint(old) != LoadBalancerNodes.Fingerprint(node))
                {
                    Enqueue(NodeSyncKey);
                }
            },
            _ => Enqueue(NodeSyncKey)));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (key == NodeSyncKey)
        {
            await SyncNodesAsync(cancellationToken).ConfigureAwait(false);
            return SyncResult.Done;
        }

        var (ns, name) = ObjectKey.Split(key);
        var service = _services.Cache.Get(ns, name);
        if (_known.TryGetValue(key, out var known) && (service is null || known.Metadata.Uid != service.Metadata.Uid))
        {
            // Gone, or deleted and made again under the same name: the old one's balancer goes first.
            await DeleteGoneAsync(key, known, cancellationToken).ConfigureAwait(false);
        }

        if (service is null)
        {
            return SyncResult.Done;
        }

        _known[key] = service;
        if (!LoadBalancerServices.WantsLoadBalancer(service) || LoadBalancerServices.NeedsCleanup(service))
        {
            await CleanUpAsync(key, service, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await EnsureAsync(service, cancellationToken).ConfigureAwait(false);
        }

        return SyncResult.Done;
    }

    private async Task EnsureAsync(V1Service service, CancellationToken cancellationToken)
    {
        _recorder.Event(service, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
        V1LoadBalancerStatus status;
        try
        {
            // Before the balancer exists, so the Service cannot be deleted without it being deleted too.
            await _writes.AddFinalizerAsync(service, cancellationToken).ConfigureAwait(false);
            var nodes = LoadBalancerNodes.For(service, _nodes.Cache.List());
            if (nodes.Count == 0)
            {
                _recorder.Event(service, "Warning", "UnAvailableLoadBalancer", "There are no available nodes for LoadBalancer");
            }

            status = await _balancer.EnsureLoadBalancerAsync(_clusterName, service, nodes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _recorder.Event(service, "Warning", "SyncLoadBalancerFailed", $"Error syncing load balancer: failed to ensure load balancer: {ex.Message}");
            throw;
        }

        _recorder.Event(service, "Normal", "EnsuredLoadBalancer", "Ensured load balancer");
        await _writes.PatchStatusAsync(service, status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the balancer of a Service that no longer wants one (or is being deleted), then releases it: the
    /// finalizer goes and the status is emptied. A Service this controller never gave a balancer (one of another
    /// class) is not touched.
    /// </summary>
    private async Task CleanUpAsync(string key, V1Service service, CancellationToken cancellationToken)
    {
        var exists = await _balancer.GetLoadBalancerAsync(_clusterName, service, cancellationToken).ConfigureAwait(false) is not null;
        if (!exists && !LoadBalancerServices.HasCleanupFinalizer(service))
        {
            _known.TryRemove(key, out _);
            return;
        }

        await DeleteBalancerAsync(service, exists, cancellationToken).ConfigureAwait(false);
        await _writes.RemoveFinalizerAsync(service, cancellationToken).ConfigureAwait(false);
        if (exists)
        {
            _recorder.Event(service, "Normal", "DeletedLoadBalancer", "Deleted load balancer");
        }

        await _writes.PatchStatusAsync(service, new V1LoadBalancerStatus(), cancellationToken).ConfigureAwait(false);
        _known.TryRemove(key, out _);
        RetryWaiting();
    }

    private async Task DeleteGoneAsync(string key, V1Service gone, CancellationToken cancellationToken)
    {
        if (await _balancer.GetLoadBalancerAsync(_clusterName, gone, cancellationToken).ConfigureAwait(false) is not null)
        {
            await DeleteBalancerAsync(gone, exists: true, cancellationToken).ConfigureAwait(false);
            _recorder.Event(gone, "Normal", "DeletedLoadBalancer", "Deleted load balancer");
            RetryWaiting();
        }

        _known.TryRemove(key, out _);
    }

    private async Task DeleteBalancerAsync(V1Service service, bool exists, CancellationToken cancellationToken)
    {
        if (exists)
        {
            _recorder.Event(service, "Normal", "DeletingLoadBalancer", "Deleting load balancer");
        }

        try
        {
            await _balancer.EnsureLoadBalancerDeletedAsync(_clusterName, service, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _recorder.Event(service, "Warning", "SyncLoadBalancerFailed", $"Error syncing load balancer: failed to delete load balancer: {ex.Message}");
            throw;
        }
    }

    /// <summary>Services still waiting for an address get another try once a balancer's addresses are freed.</summary>
    private void RetryWaiting()
    {
        foreach (var waiting in _services.Cache.List().Where(s => LoadBalancerServices.WantsLoadBalancer(s) && s.Status?.LoadBalancer?.Ingress is not { Count: > 0 }))
        {
            Enqueue(ObjectKey.Of(waiting));
        }
    }

    private async Task SyncNodesAsync(CancellationToken cancellationToken)
    {
        var nodes = _nodes.Cache.List();
        var nodeSet = string.Join(';', nodes.Select(n => n.Metadata.Name + ":" + LoadBalancerNodes.Fingerprint(n)).Order(StringComparer.Ordinal));
        if (_lastNodeSet is null)
        {
            // The first set is the baseline; a Service ensured before any node was Ready (a cluster starting, or a
            // server's own Service made before its node registered) is still waiting for addresses: try it again.
            _lastNodeSet = nodeSet;
            RetryWaiting();
            return;
        }

        if (nodeSet == _lastNodeSet)
        {
            return;
        }

        foreach (var service in _services.Cache.List().Where(s => LoadBalancerServices.WantsLoadBalancer(s) && LoadBalancerServices.HasCleanupFinalizer(s) && s.Metadata.DeletionTimestamp is null))
        {
            var hosts = LoadBalancerNodes.For(service, nodes);
            await _balancer.UpdateLoadBalancerAsync(_clusterName, service, hosts, cancellationToken).ConfigureAwait(false);
            _recorder.Event(service, "Normal", "UpdatedLoadBalancer", "Updated load balancer with new hosts");
            if (await _balancer.GetLoadBalancerAsync(_clusterName, service, cancellationToken).ConfigureAwait(false) is { } status)
            {
                await _writes.PatchStatusAsync(service, status, cancellationToken).ConfigureAwait(false);
            }
        }

        // Recorded once every balancer follows it, so a failed sync is retried whole.
        _lastNodeSet = nodeSet;
    }
}
