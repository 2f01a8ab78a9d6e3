using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;

namespace Timonel.Controllers.GarbageCollector;

/// <summary>
/// Deletes objects whose owners are gone and carries out foreground and orphan deletion, as kube-controller-manager's
/// garbage collector does (pkg/controller/garbagecollector): every resource discovery lists with the list, watch and
/// delete verbs (custom resources included, rediscovered every 30 s) is followed by a metadata-only informer feeding
/// an <see cref="OwnerGraph"/>; the graph's decisions come back as keys, "delete/UID" for an attempt to delete (or,
/// for an owner deleting in the foreground, to finish) and "orphan/UID" for orphaning an owner's dependents. Nothing
/// is decided on the graph alone: owners are verified through the API server, by name and UID, before acting.
/// </summary>
public sealed class GarbageCollectorController : ControllerBase
{
    /// <summary>kube-controller-manager's --concurrent-gc-syncs default (ConcurrentGCSyncs: 20).</summary>
    public const int Workers = 20;

    /// <summary>The event source upstream's garbage collector records under (garbagecollector.go, NewGarbageCollector).</summary>
    public const string Component = "garbage-collector-controller";

    private const string DeletePrefix = "delete/";
    private const string OrphanPrefix = "orphan/";

    // Upstream retries a finalizer or owner-reference patch refused on conflict up to retry.DefaultBackoff's 5 steps.
    private const int ConflictRetries = 5;

    /// <summary>How often discovery is read again for new resources (upstream runs gc.Sync with a 30 s period).</summary>
    public static readonly TimeSpan DiscoveryPeriod = TimeSpan.FromSeconds(30);

    // Workers start once the monitors have synced, or after this long with the ones that have (a resource whose list
    // keeps failing must not stop collection for all the others; upstream bounds its resync wait the same way).
    private static readonly TimeSpan _syncWait = TimeSpan.FromSeconds(60);

    private readonly Kubernetes _client;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ResourceMapper _mapper = new();
    private readonly MetadataClient _api;
    private readonly OwnerGraph _graph;
    private readonly IEventRecorder _events;
    private readonly Lock _monitorsLock = new();
    private readonly Dictionary<string, SharedInformer<PartialObjectMetadata>> _monitors = new(StringComparer.Ordinal);
    private readonly List<SharedInformer<PartialObjectMetadata>> _started = [];

    public GarbageCollectorController(Kubernetes client, IEventRecorder events, TimeProvider time, ILoggerFactory loggerFactory)
        : base(loggerFactory.CreateLogger<GarbageCollectorController>(), time, [], Workers)
    {
        _client = client;
        _events = events;
        _loggerFactory = loggerFactory;
        _api = new MetadataClient(client, _mapper);
        _graph = new OwnerGraph(
            (uid, rateLimited) =>
            {
                if (rateLimited)
                {
                    Queue.AddRateLimited(DeletePrefix + uid);
                }
                else
                {
                    Enqueue(DeletePrefix + uid);
                }
            },
            uid => Enqueue(OrphanPrefix + uid),
            RecordInvalidReference);
    }

    /// <summary>Whether the owner graph has a node for <paramref name="uid"/>, observed or virtual (upstream's GraphHasUID, for tests).</summary>
    public bool GraphHasUid(string uid) => _graph.Get(uid) is not null;

    /// <summary>Whether the node for <paramref name="uid"/> is virtual: an owner only seen in references so far.</summary>
    public bool IsVirtual(string uid) => _graph.Get(uid)?.IsVirtual == true;

    /// <summary>The UIDs of the objects the graph knows as dependents of <paramref name="uid"/>.</summary>
    public IReadOnlyList<string> DependentsOf(string uid) => [.. (_graph.Get(uid)?.Dependents ?? []).Select(d => d.Identity.Uid)];

    /// <summary>
    /// Follows <paramref name="resource"/>'s objects through <paramref name="informer"/> (not started here), and maps
    /// its kind. Discovery calls it for every resource it finds; tests call it with hand-filled informers.
    /// </summary>
    public void Monitor(ApiResource resource, SharedInformer<PartialObjectMetadata> informer)
    {
        _mapper.Add(resource);
        informer.AddHandlers(new InformerHandlers<PartialObjectMetadata>(
            OnAdd: obj => _graph.Observe(GraphChange.Added, IdentityOf(resource, obj), obj.Metadata, null),
            OnUpdate: (old, obj) => _graph.Observe(GraphChange.Updated, IdentityOf(resource, obj), obj.Metadata, old.Metadata),
            OnDelete: obj => _graph.Observe(GraphChange.Deleted, IdentityOf(resource, obj), obj.Metadata, null)));
    }

    /// <summary>Maps a kind the collector does not monitor, so references to it resolve (tests; discovery does it otherwise).</summary>
    public void Map(ApiResource resource) => _mapper.Add(resource);

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (key.StartsWith(OrphanPrefix, StringComparison.Ordinal))
        {
            await AttemptToOrphanAsync(key[OrphanPrefix.Length..], cancellationToken).ConfigureAwait(false);
            return SyncResult.Done;
        }

        if (key.StartsWith(DeletePrefix, StringComparison.Ordinal))
        {
            try
            {
                await AttemptToDeleteAsync(key[DeletePrefix.Length..], cancellationToken).ConfigureAwait(false);
            }
            catch (NamespacedOwnerOfClusterScopedObjectException ex)
            {
                // No retry makes this valid: the item is dropped, as upstream forgets it.
                Logger.LogDebug("{Message}", ex.Message);
            }
        }

        return SyncResult.Done;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            List<SharedInformer<PartialObjectMetadata>> informers;
            lock (_monitorsLock)
            {
                informers = [.. _started];
                _started.Clear();
                _monitors.Clear();
            }

            foreach (var informer in informers)
            {
                await informer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!await TryResyncMonitorsAsync(stoppingToken).ConfigureAwait(false))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Time, stoppingToken).ConfigureAwait(false);
            }

            await WaitForMonitorsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var rediscovery = RediscoverAsync(stoppingToken);
        await base.ExecuteAsync(stoppingToken).ConfigureAwait(false);
        await rediscovery.ConfigureAwait(false);
    }

    private static ObjectIdentity IdentityOf(ApiResource resource, PartialObjectMetadata obj) => new(
        resource.GroupVersion,
        resource.Kind,
        string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? null : obj.Metadata.NamespaceProperty,
        obj.Metadata.Name ?? "",
        obj.Metadata.Uid ?? "");

    private static bool HasFinalizer(V1ObjectMeta metadata, string finalizer) => metadata.Finalizers?.Contains(finalizer) == true;

    // An empty list is sent as null, which a merge patch reads as "remove the field": the object then reads as
    // upstream leaves it, with no ownerReferences or finalizers at all rather than empty lists.
    private static JsonArray? References(IEnumerable<V1OwnerReference> references) =>
        references.Any() ? new([.. references.Select(r => JsonNode.Parse(KubernetesJson.Serialize(r)))]) : null;

    private static bool IsConflict(Exception ex) => ex is HttpRequestException { StatusCode: HttpStatusCode.Conflict };

    /// <summary>
    /// attemptToDeleteItem: an item whose owners are all gone is deleted; one with some gone has those references
    /// removed; one whose owners delete in the foreground is deleted in the foreground; an owner deleting in the
    /// foreground loses its finalizer once no dependent blocks it. A virtual item is verified and dropped if absent.
    /// </summary>
    private async Task AttemptToDeleteAsync(string uid, CancellationToken cancellationToken)
    {
        if (_graph.Get(uid) is not { } item)
        {
            return;
        }

        // Being deleted is a one-way trip: the deletion event will bring its dependents here.
        if (item.BeingDeleted && !item.DeletingDependents)
        {
            return;
        }

        var latest = await _api.GetAsync(item.Identity, cancellationToken).ConfigureAwait(false);
        if (latest is null || latest.Uid != item.Identity.Uid)
        {
            // Absent, or another object under its name: a virtual delete, which drops the node and lets its
            // dependents be looked at.
            _graph.VirtualDelete(item.Identity);
            return;
        }

        if (item.DeletingDependents)
        {
            await ProcessDeletingDependentsAsync(item, cancellationToken).ConfigureAwait(false);
            return;
        }

        var references = latest.OwnerReferences ?? [];
        if (references.Count > 0)
        {
            await CollectAsync(item, latest, references, cancellationToken).ConfigureAwait(false);
        }

        if (item.IsVirtual && _graph.Get(uid) is { IsVirtual: true })
        {
            // The object exists but no informer has shown it yet; look again (an object created and deleted while a
            // watch was re-established would otherwise stay in the graph for good: upstream's issue 56121).
            throw new InvalidOperationException($"{item.Identity} exists but has not been observed yet");
        }
    }

    private async Task CollectAsync(NodeState item, V1ObjectMeta latest, IList<V1OwnerReference> references, CancellationToken cancellationToken)
    {
        var solid = new List<V1OwnerReference>();
        var dangling = new List<V1OwnerReference>();
        var waiting = new List<V1OwnerReference>();
        foreach (var reference in references)
        {
            var (isDangling, owner) = await IsDanglingAsync(reference, item, cancellationToken).ConfigureAwait(false);
            if (isDangling)
            {
                dangling.Add(reference);
            }
            else if (owner!.DeletionTimestamp is not null && HasFinalizer(owner, Finalizers.DeleteDependents))
            {
                waiting.Add(reference);
            }
            else
            {
                solid.Add(reference);
            }
        }

        if (solid.Count > 0)
        {
            if (dangling.Count == 0 && waiting.Count == 0)
            {
                return;
            }

            // References to owners gone, and to owners waiting on their dependents (which would otherwise wait on
            // this one for good), are removed; the owners still there keep the item.
            await RemoveReferencesAsync(item.Identity, [.. dangling.Concat(waiting).Select(r => r.Uid)], latest, cancellationToken).ConfigureAwait(false);
            return;
        }

        string policy;
        if (waiting.Count > 0 && item.Dependents.Count > 0)
        {
            if (item.Dependents.Any(d => d.DeletingDependents))
            {
                // A dependent deleting its own dependents too may be a cycle: stop blocking the owners first, as
                // upstream does (its cycle check has the same false positives).
                var unblocked = references.Select(r =>
                {
                    var copy = CachedObject.Copy(r);
                    if (copy.BlockOwnerDeletion is not null)
                    {
                        copy.BlockOwnerDeletion = false;
                    }

                    return copy;
                });
                await PatchOwnerReferencesAsync(item.Identity, latest, unblocked, cancellationToken).ConfigureAwait(false);
                latest = await _api.GetAsync(item.Identity, cancellationToken).ConfigureAwait(false) ?? latest;
            }

            // The owners wait for this item, which has dependents of its own: delete it in the foreground too.
            policy = "Foreground";
        }
        else if (HasFinalizer(latest, Finalizers.OrphanDependents))
        {
            policy = "Orphan";
        }
        else if (HasFinalizer(latest, Finalizers.DeleteDependents))
        {
            policy = "Foreground";
        }
        else
        {
            policy = "Background";
        }

        Logger.LogDebug("deleting {Item} with propagationPolicy {Policy}: its owners are gone", item.Identity, policy);
        if (!await _api.DeleteAsync(item.Identity, latest.ResourceVersion, policy, cancellationToken).ConfigureAwait(false))
        {
            _graph.VirtualDelete(item.Identity);
        }
    }

    /// <summary>isDangling: whether the owner a reference names is gone (absent, or another UID under its name).</summary>
    private async Task<(bool Dangling, V1ObjectMeta? Owner)> IsDanglingAsync(V1OwnerReference reference, NodeState item, CancellationToken cancellationToken)
    {
        var clusterScopedKey = ObjectIdentity.OfOwner(reference, null);
        var namespacedKey = ObjectIdentity.OfOwner(reference, item.Identity.Namespace);
        if (_graph.IsKnownAbsent(clusterScopedKey) || _graph.IsKnownAbsent(namespacedKey))
        {
            return (true, null);
        }

        var resource = _api.Resource(reference.ApiVersion, reference.Kind);
        if (resource.Namespaced && item.Identity.Namespace is null)
        {
            throw new NamespacedOwnerOfClusterScopedObjectException(item.Identity, clusterScopedKey.ToString());
        }

        var ownerIdentity = resource.Namespaced ? namespacedKey : clusterScopedKey;
        var owner = await _api.GetAsync(ownerIdentity, cancellationToken).ConfigureAwait(false);
        if (owner is null || owner.Uid != reference.Uid)
        {
            _graph.MarkAbsent(ownerIdentity);
            return (true, null);
        }

        return (false, owner);
    }

    /// <summary>processDeletingDependentsItem: the finalizer goes once no dependent blocks; else blocking ones are deleted.</summary>
    private async Task ProcessDeletingDependentsAsync(NodeState item, CancellationToken cancellationToken)
    {
        if (item.BlockingDependents.Count == 0)
        {
            await RemoveFinalizerAsync(item.Identity, Finalizers.DeleteDependents, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var (dependent, deletingDependents) in item.BlockingDependents)
        {
            if (!deletingDependents)
            {
                Enqueue(DeletePrefix + dependent.Uid);
            }
        }
    }

    /// <summary>attemptToOrphanWorker: every dependent loses its reference to the owner, then the owner its finalizer.</summary>
    private async Task AttemptToOrphanAsync(string uid, CancellationToken cancellationToken)
    {
        if (_graph.Get(uid) is not { } owner)
        {
            return;
        }

        await Task.WhenAll(owner.Dependents.Select(d => RemoveReferencesAsync(d.Identity, [uid], null, cancellationToken))).ConfigureAwait(false);
        await RemoveFinalizerAsync(owner.Identity, Finalizers.OrphanDependents, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the references to <paramref name="ownerUids"/> from a dependent, as upstream's gc.patch does: a
    /// strategic merge patch deleting them by UID, with the dependent's UID as a precondition; where that is not served
    /// (custom resources), a JSON merge patch of the remaining list with the resourceVersion read, retried on conflict.
    /// When none remain, the merge patch removes the field: Timonel's store would keep the empty list a strategic
    /// merge patch leaves, where upstream's typed round trip drops it (omitempty), and users see no ownerReferences.
    /// </summary>
    private async Task RemoveReferencesAsync(ObjectIdentity dependent, IReadOnlyCollection<string> ownerUids, V1ObjectMeta? latest, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            latest ??= await _api.GetAsync(dependent, cancellationToken).ConfigureAwait(false);
            if (latest is null || latest.Uid != dependent.Uid || latest.OwnerReferences?.Any(r => ownerUids.Contains(r.Uid)) != true)
            {
                return;
            }

            var remaining = latest.OwnerReferences.Where(r => !ownerUids.Contains(r.Uid)).ToList();
            try
            {
                if (remaining.Count > 0)
                {
                    var strategic = new JsonObject
                    {
                        ["metadata"] = new JsonObject
                        {
                            ["ownerReferences"] = new JsonArray([.. ownerUids.Select(u => (JsonNode)new JsonObject { ["$patch"] = "delete", ["uid"] = u })]),
                            ["uid"] = dependent.Uid,
                        },
                    };
                    if (await _api.TryStrategicPatchAsync(dependent, strategic, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        return;
                    }
                }

                await PatchOwnerReferencesAsync(dependent, latest, remaining, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (IsConflict(ex) && attempt < ConflictRetries)
            {
                latest = null;
            }
        }
    }

    /// <summary>
    /// Sets the object's ownerReferences with a JSON merge patch carrying the resourceVersion read, so a change made
    /// meanwhile is refused rather than overwritten (upstream's deleteOwnerRefJSONMergePatch, which it falls back to
    /// where strategic merge patch is not served, and uses for custom resources).
    /// </summary>
    private async Task PatchOwnerReferencesAsync(ObjectIdentity identity, V1ObjectMeta latest, IEnumerable<V1OwnerReference> references, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = latest.ResourceVersion,
                ["ownerReferences"] = References(references),
            },
        };
        await _api.MergePatchAsync(identity, patch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>removeFinalizer: a merge patch of the finalizers with the resourceVersion read, retried on conflict.</summary>
    private async Task RemoveFinalizerAsync(ObjectIdentity identity, string finalizer, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var latest = await _api.GetAsync(identity, cancellationToken).ConfigureAwait(false);
            if (latest is null || !HasFinalizer(latest, finalizer))
            {
                return;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = latest.ResourceVersion,
                    ["finalizers"] = latest.Finalizers.Any(f => f != finalizer)
                        ? new JsonArray([.. latest.Finalizers.Where(f => f != finalizer).Select(f => (JsonNode)JsonValue.Create(f))])
                        : null,
                },
            };
            try
            {
                await _api.MergePatchAsync(identity, patch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (IsConflict(ex) && attempt < ConflictRetries)
            {
            }
        }
    }

    /// <summary>An OwnerRefInvalidNamespace warning on the dependent (reportInvalidNamespaceOwnerRef in graph_builder.go).</summary>
    private void RecordInvalidReference(InvalidOwnerReference invalid)
    {
        var dependent = invalid.Dependent;
        var reference = new V1ObjectReference
        {
            ApiVersion = dependent.ApiVersion,
            Kind = dependent.Kind,
            Name = dependent.Name,
            NamespaceProperty = dependent.Namespace,
            Uid = dependent.Uid,
        };
        _events.Event(reference, "Warning", "OwnerRefInvalidNamespace", $"ownerRef {invalid.Owner} does not exist in namespace \"{dependent.Namespace}\"");
    }

    private async Task RediscoverAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(DiscoveryPeriod, Time, stoppingToken).ConfigureAwait(false);
                if (await TryResyncMonitorsAsync(stoppingToken).ConfigureAwait(false))
                {
                    await WaitForMonitorsAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads discovery, then follows resources new to it and stops following those gone; false if discovery failed.</summary>
    private async Task<bool> TryResyncMonitorsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ApiResource> all;
        IReadOnlyList<ApiResource> deletable;
        try
        {
            (all, deletable) = await Discovery.DiscoverAsync(_client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Logger.LogWarning(ex, "garbage collector: discovery failed; retrying");
            return false;
        }

        _mapper.Replace(all);
        var wanted = deletable.ToDictionary(r => $"{r.GroupVersion}/{r.Resource}", StringComparer.Ordinal);
        var stopped = new List<SharedInformer<PartialObjectMetadata>>();
        lock (_monitorsLock)
        {
            foreach (var (key, resource) in wanted)
            {
                if (_monitors.ContainsKey(key))
                {
                    continue;
                }

                var informer = new SharedInformer<PartialObjectMetadata>(
                    MetadataListWatches.For(_client, resource.GroupVersion, resource.Resource),
                    _loggerFactory.CreateLogger($"Timonel.Client.Informers.Metadata.{resource.Resource}"),
                    Time);
                Monitor(resource, informer);
                _monitors[key] = informer;
                _started.Add(informer);
                informer.Start();
            }

            foreach (var key in _monitors.Keys.Where(k => !wanted.ContainsKey(k)).ToList())
            {
                stopped.Add(_monitors[key]);
                _started.Remove(_monitors[key]);
                _monitors.Remove(key);
            }
        }

        foreach (var informer in stopped)
        {
            await informer.DisposeAsync().ConfigureAwait(false);
        }

        return true;
    }

    private async Task WaitForMonitorsAsync(CancellationToken cancellationToken)
    {
        Task synced;
        lock (_monitorsLock)
        {
            synced = Task.WhenAll(_monitors.Values.Select(m => m.Synced));
        }

        try
        {
            await synced.WaitAsync(_syncWait, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Logger.LogWarning("garbage collector: not every resource monitor synced within {Wait}; going on with those that did", _syncWait);
        }
    }
}
