using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Objects;
using Timonel.Controllers.ReplicaSet;

namespace Timonel.Controllers.DaemonSet;

/// <summary>
/// Runs one pod of each DaemonSet on every node that should run it, as kube-controller-manager's daemonset controller
/// does (pkg/controller/daemon/daemon_controller.go, 1.32): pods are created pinned to their node by a required node
/// affinity on metadata.name (the scheduler binds them), in slow-start batches of at most 250 a sync; pods on nodes
/// that should no longer run the daemon, extra pods on a node, and failed pods (with a per-node back-off) are deleted.
/// The template's history is kept in ControllerRevisions, updates roll out with RollingUpdate (maxUnavailable,
/// maxSurge) or wait for deletions (OnDelete), and status counts what runs where. Keys are namespace/name.
/// </summary>
public sealed class DaemonSetController : ControllerBase
{
    /// <summary>The component events are reported by (upstream's daemonset controller's recorder).</summary>
    public const string Component = "daemonset-controller";

    /// <summary>Upstream's BurstReplicas for DaemonSets: at most this many creations or deletions a sync.</summary>
    public const int BurstReplicas = 250;

    // Event reasons (daemon_controller.go).
    private const string SelectingAllReason = "SelectingAll";
    private const string FailedDaemonPodReason = "FailedDaemonPod";
    private const string SucceededDaemonPodReason = "SucceededDaemonPod";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1DaemonSet> _daemonSets;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly SharedInformer<V1Node> _nodes;
    private readonly DaemonSetHistory _history;
    private readonly PodExpectations _expectations;
    private readonly FailedPodsBackoff _failedPodsBackoff = new();
    private readonly IEventRecorder _events;

    public DaemonSetController(
        IKubernetes client,
        SharedInformer<V1DaemonSet> daemonSets,
        SharedInformer<V1ControllerRevision> revisions,
        SharedInformer<V1Pod> pods,
        SharedInformer<V1Node> nodes,
        IEventRecorder events,
        TimeProvider time,
        ILogger<DaemonSetController> logger)
        : base(logger, time, [daemonSets, revisions, pods, nodes], workers: 2)
    {
        _client = client;
        _daemonSets = daemonSets;
        _pods = pods;
        _nodes = nodes;
        _history = new DaemonSetHistory(client, revisions.Cache);
        _expectations = new PodExpectations(time);
        _events = events;
        daemonSets.AddHandlers(new(
            OnAdd: ds => Enqueue(KeyOf(ds)),
            OnUpdate: (_, ds) => Enqueue(KeyOf(ds)),
            OnDelete: ds =>
            {
                _expectations.Delete(KeyOf(ds));
                Enqueue(KeyOf(ds));
            }));
        revisions.AddHandlers(new(
            OnAdd: OnRevisionChanged,
            OnUpdate: (_, revision) => OnRevisionChanged(revision),
            OnDelete: OnRevisionChanged));
        pods.AddHandlers(new OwnedPodHandlers(_expectations, pod => OwnerKey(pod.Metadata), pod => EnqueueMatching(pod.Metadata), Enqueue).Handlers);
        nodes.AddHandlers(new(OnAdd: OnNodeAdded, OnUpdate: OnNodeUpdated, OnDelete: _ => EnqueueAll()));
    }

    /// <summary>syncDaemonSet.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_daemonSets.Cache.Get(ns, name) is not { } ds)
        {
            _expectations.Delete(key);
            return SyncResult.Done;
        }

        if (ds.Spec.Selector is null || ((ds.Spec.Selector.MatchLabels?.Count ?? 0) == 0 && (ds.Spec.Selector.MatchExpressions?.Count ?? 0) == 0))
        {
            _events.Event(Reference(ds), "Warning", SelectingAllReason, "This daemon set is selecting all pods. A non-empty selector is required.");
            return SyncResult.Done;
        }

        // A DaemonSet being deleted may have lost its revisions already (the garbage collector deletes them in no
        // particular order): its status cannot be computed reliably, so upstream leaves it alone.
        if (ds.Metadata.DeletionTimestamp is not null)
        {
            return SyncResult.Done;
        }

        var nodes = _nodes.Cache.List();
        var pods = await ClaimPodsAsync(ds, cancellationToken).ConfigureAwait(false);
        var (current, old, collisionCount) = await _history.ConstructAsync(ds, OwnerReference(ds), pods, cancellationToken).ConfigureAwait(false);
        var hash = current.Metadata.Labels?.TryGetValue(History.ControllerRevisions.HashLabel, out var label) == true ? label : "";
        var sync = new SyncState(ds, nodes, hash, collisionCount);
        if (!_expectations.Satisfied(key))
        {
            // Only the status: the generation has not been acted on.
            await UpdateStatusAsync(sync, pods, observedGeneration: false, cancellationToken).ConfigureAwait(false);
            return sync.Result();
        }

        Exception? failure = null;
        try
        {
            await UpdateDaemonSetAsync(key, sync, pods, old, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = ex;
        }

        try
        {
            await UpdateStatusAsync(sync, pods, observedGeneration: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (failure is not null && ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "updating the status of daemon set {Key} failed", key);
        }

        if (failure is not null)
        {
            throw failure;
        }

        return sync.Result();
    }

    private static string KeyOf(V1DaemonSet ds) => $"{ds.Metadata.NamespaceProperty}/{ds.Metadata.Name}";

    private static V1OwnerReference OwnerReference(V1DaemonSet ds) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Name = ds.Metadata.Name,
        Uid = ds.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    private static V1ObjectReference Reference(V1DaemonSet ds) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Name = ds.Metadata.Name,
        NamespaceProperty = ds.Metadata.NamespaceProperty,
        Uid = ds.Metadata.Uid,
        ResourceVersion = ds.Metadata.ResourceVersion,
    };

    /// <summary>getNodesToDaemonPods: the claimed pods by the node they run on or are pinned to.</summary>
    private static Dictionary<string, List<V1Pod>> ByNode(IEnumerable<V1Pod> pods)
    {
        var byNode = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (DaemonPods.TargetNodeName(pod) is not { } node)
            {
                continue;
            }

            if (!byNode.TryGetValue(node, out var onNode))
            {
                byNode[node] = onNode = [];
            }

            onNode.Add(pod);
        }

        return byNode;
    }

    /// <summary>getDaemonPods: every pod of the namespace the DaemonSet controls or may adopt (ClaimPods without filters).</summary>
    private Task<List<V1Pod>> ClaimPodsAsync(V1DaemonSet ds, CancellationToken cancellationToken) =>
        ControllerRefManager.ClaimAsync(
            ds.Metadata,
            OwnerReference(ds),
            ds.Spec.Selector,
            _pods.Cache.List(ds.Metadata.NamespaceProperty),
            adoptable: _ => true,
            releasable: pod => pod.Metadata.DeletionTimestamp is null,
            (pod, patch) => ControllerRefManager.PatchAsync(() => _client.CoreV1.PatchNamespacedPodAsync(
                new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken)));

    /// <summary>updateDaemonSet: manage, then a rolling update step once nothing is awaited, then history cleanup.</summary>
    private async Task UpdateDaemonSetAsync(string key, SyncState sync, List<V1Pod> pods, List<V1ControllerRevision> old, CancellationToken cancellationToken)
    {
        var ds = sync.DaemonSet;
        var byNode = ByNode(pods);
        await ManageAsync(key, sync, byNode, cancellationToken).ConfigureAwait(false);
        if (_expectations.Satisfied(key) && ds.Spec.UpdateStrategy?.Type is null or "RollingUpdate")
        {
            var (podsToDelete, nodesToCreate) = RollingUpdate.Plan(ds, sync.Nodes, ByNode(pods), sync.Hash, Time.GetUtcNow().UtcDateTime);
            await SyncNodesAsync(key, sync, podsToDelete, nodesToCreate, cancellationToken).ConfigureAwait(false);
        }

        await _history.CleanupAsync(ds, old, pods, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// manage: per node, a pod where one should run and none does, deletions where none should run, of failed and
    /// succeeded pods and of extra pods; and deletion of unscheduled pods pinned to nodes that no longer exist (the
    /// pod garbage collector only removes pods bound to missing nodes).
    /// </summary>
    private async Task ManageAsync(string key, SyncState sync, Dictionary<string, List<V1Pod>> byNode, CancellationToken cancellationToken)
    {
        var nodesNeedingPods = new List<string>();
        var podsToDelete = new List<string>();
        foreach (var node in sync.Nodes)
        {
            PodsShouldBeOnNode(sync, node, byNode, nodesNeedingPods, podsToDelete);
        }

        var existing = sync.Nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        podsToDelete.AddRange(byNode
            .Where(pair => !existing.Contains(pair.Key))
            .SelectMany(pair => pair.Value)
            .Where(pod => string.IsNullOrEmpty(pod.Spec?.NodeName))
            .Select(pod => pod.Metadata.Name));
        await SyncNodesAsync(key, sync, podsToDelete, nodesNeedingPods, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>podsShouldBeOnNode.</summary>
    private void PodsShouldBeOnNode(SyncState sync, V1Node node, Dictionary<string, List<V1Pod>> byNode, List<string> nodesNeedingPods, List<string> podsToDelete)
    {
        var ds = sync.DaemonSet;
        var nodeName = node.Metadata.Name;
        var (shouldRun, shouldContinueRunning) = DaemonPods.ShouldRun(node, ds);
        var exists = byNode.TryGetValue(nodeName, out var daemonPods);
        if (shouldRun && !exists)
        {
            nodesNeedingPods.Add(nodeName);
            return;
        }

        if (!shouldContinueRunning)
        {
            if (exists)
            {
                podsToDelete.AddRange(daemonPods!.Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Name));
            }

            return;
        }

        var running = new List<V1Pod>();
        foreach (var pod in daemonPods ?? [])
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            switch (pod.Status?.Phase)
            {
                case "Failed":
                    // The controller often fights a kubelet that rejects its pods here: back off per node.
                    var backoffKey = FailedPodsBackoff.Key(ds, nodeName);
                    var now = Time.GetUtcNow();
                    if (_failedPodsBackoff.InBackoff(backoffKey, now, out var delay))
                    {
                        sync.RequeueAfter(delay);
                        continue;
                    }

                    _failedPodsBackoff.Next(backoffKey, now);
                    _events.Event(Reference(ds), "Warning", FailedDaemonPodReason, $"Found failed daemon pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} on node {nodeName}, will try to kill it");
                    podsToDelete.Add(pod.Metadata.Name);
                    break;
                case "Succeeded":
                    _events.Event(Reference(ds), "Normal", SucceededDaemonPodReason, $"Found succeeded daemon pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} on node {nodeName}, will try to delete it");
                    podsToDelete.Add(pod.Metadata.Name);
                    break;
                default:
                    running.Add(pod);
                    break;
            }
        }

        running.Sort(DaemonPods.OldestScheduledFirst);
        var surge = ds.Spec.UpdateStrategy?.Type is null or "RollingUpdate"
            && Deployment.DeploymentUtil.ScaledValue(ds.Spec.UpdateStrategy?.RollingUpdate?.MaxSurge, 1, roundUp: true) > 0;
        if (!surge)
        {
            // One pod a node: the oldest stays.
            podsToDelete.AddRange(running.Skip(1).Select(p => p.Metadata.Name));
            return;
        }

        if (running.Count <= 1)
        {
            if (running.Count == 0 && shouldRun)
            {
                nodesNeedingPods.Add(nodeName);
            }

            return;
        }

        // Surging: an old and a new pod may share the node while the new one is not yet available; any others go,
        // and the old one goes once it is not ready or the new one is available.
        V1Pod? oldestNew = null, oldestOld = null;
        var generation = DaemonPods.TemplateGeneration(ds);
        foreach (var pod in running)
        {
            var isNew = DaemonPods.IsUpdated(pod, sync.Hash, generation);
            if (isNew && oldestNew is null)
            {
                oldestNew = pod;
            }
            else if (!isNew && oldestOld is null)
            {
                oldestOld = pod;
            }
            else
            {
                podsToDelete.Add(pod.Metadata.Name);
            }
        }

        if (oldestNew is not null && oldestOld is not null
            && (!PodRanking.IsReady(oldestOld) || DaemonPods.IsAvailable(oldestNew, ds.Spec.MinReadySeconds ?? 0, Time.GetUtcNow().UtcDateTime)))
        {
            podsToDelete.Add(oldestOld.Metadata.Name);
        }
    }

    /// <summary>
    /// syncNodes: expectations first, then creations in slow-start batches (each pod pinned to its node, labelled with
    /// the revision hash and template generation) and deletions; every failure is reported after all were tried.
    /// </summary>
    private async Task SyncNodesAsync(string key, SyncState sync, List<string> podsToDelete, List<string> nodesNeedingPods, CancellationToken cancellationToken)
    {
        var ds = sync.DaemonSet;
        var createDiff = Math.Min(nodesNeedingPods.Count, BurstReplicas);
        var deleteDiff = Math.Min(podsToDelete.Count, BurstReplicas);
        _expectations.Expect(key, createDiff, deleteDiff);
        var errors = new List<Exception>();
        if (createDiff > 0)
        {
            var template = DaemonPods.PodTemplate(ds, sync.Hash);
            var next = -1;
            try
            {
                await ReplicaSetController.SlowStartBatchAsync(createDiff, () => CreatePodAsync(ds, template, nodesNeedingPods[Interlocked.Increment(ref next)], cancellationToken)).ConfigureAwait(false);
            }
            catch (SlowStartException ex)
            {
                // Creations refused or never attempted will never be observed.
                _expectations.Lower(key, createDiff - ex.Succeeded, 0);
                errors.Add(ex.InnerException!);
            }
        }

        var deletions = podsToDelete.Take(deleteDiff).Select(async name =>
        {
            try
            {
                await _client.CoreV1.DeleteNamespacedPodAsync(name, ds.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                _events.Event(Reference(ds), "Normal", "SuccessfulDelete", $"Deleted pod: {name}");
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone: its deletion event may never come.
                _expectations.DeletionObserved(key);
            }
            catch (HttpOperationException ex)
            {
                _expectations.DeletionObserved(key);
                _events.Event(Reference(ds), "Warning", "FailedDelete", $"Error deleting: {ApiErrors.Message(ex)}");
                lock (errors)
                {
                    errors.Add(ex);
                }
            }
        }).ToList();
        await Task.WhenAll(deletions).ConfigureAwait(false);
        if (errors.Count == 1)
        {
            throw errors[0];
        }

        if (errors.Count > 1)
        {
            throw new AggregateException(errors);
        }
    }

    private async Task CreatePodAsync(V1DaemonSet ds, V1PodTemplateSpec template, string nodeName, CancellationToken cancellationToken)
    {
        var pod = PodControl.FromTemplate(template, ds.Metadata.Name, OwnerReference(ds));

        // The scheduler places the pod; the affinity leaves it only this node (no conflicting affinity can exist,
        // the node was found to match the template's).
        pod.Spec.Affinity = DaemonPods.PinToNode(pod.Spec.Affinity, nodeName);
        await PodControl.CreateAsync(_client, _events, Reference(ds), pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// updateDaemonSetStatus and storeDaemonSetStatus: per node that should run the daemon, whether it has a pod, and
    /// whether its oldest is ready, available and of the current revision; pods on other nodes are misscheduled.
    /// Written only when something changed; a conflict is retried once on a fresh copy.
    /// </summary>
    private async Task UpdateStatusAsync(SyncState sync, List<V1Pod> pods, bool observedGeneration, CancellationToken cancellationToken)
    {
        var ds = sync.DaemonSet;
        var byNode = ByNode(pods);
        var now = Time.GetUtcNow().UtcDateTime;
        var minReady = ds.Spec.MinReadySeconds ?? 0;
        var generation = DaemonPods.TemplateGeneration(ds);
        int desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
        foreach (var node in sync.Nodes)
        {
            var shouldRun = DaemonPods.ShouldRun(node, ds).ShouldRun;
            var scheduled = byNode.TryGetValue(node.Metadata.Name, out var onNode) && onNode.Count > 0;
            if (!shouldRun)
            {
                misscheduled += scheduled ? 1 : 0;
                continue;
            }

            desired++;
            if (!scheduled)
            {
                continue;
            }

            current++;
            onNode!.Sort(DaemonPods.OldestScheduledFirst);
            var pod = onNode[0];
            if (PodRanking.IsReady(pod))
            {
                ready++;
                available += DaemonPods.IsAvailable(pod, minReady, now) ? 1 : 0;
            }

            updated += DaemonPods.IsUpdated(pod, sync.Hash, generation) ? 1 : 0;
        }

        var status = new V1DaemonSetStatus
        {
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = current,
            NumberMisscheduled = misscheduled,
            NumberReady = ready,
            UpdatedNumberScheduled = updated,
            NumberAvailable = available,
            NumberUnavailable = desired - available,
            ObservedGeneration = observedGeneration ? ds.Metadata.Generation : ds.Status?.ObservedGeneration,
            CollisionCount = sync.CollisionCount,
            Conditions = ds.Status?.Conditions,
        };

        // Upstream resyncs after minReadySeconds as a last line of defence against clock skew.
        if (minReady > 0 && ready != available)
        {
            sync.RequeueAfter(TimeSpan.FromSeconds(minReady));
        }

        var old = ds.Status;
        if (old is not null && old.DesiredNumberScheduled == desired && old.CurrentNumberScheduled == current && old.NumberMisscheduled == misscheduled
            && old.NumberReady == ready && (old.UpdatedNumberScheduled ?? 0) == updated && (old.NumberAvailable ?? 0) == available
            && (old.NumberUnavailable ?? 0) == status.NumberUnavailable && (old.ObservedGeneration ?? 0) >= (ds.Metadata.Generation ?? 0)
            && old.CollisionCount == sync.CollisionCount)
        {
            return;
        }

        try
        {
            await WriteStatusAsync(ds, status, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile: nothing to report.
        }
    }

    private async Task WriteStatusAsync(V1DaemonSet ds, V1DaemonSetStatus status, CancellationToken cancellationToken)
    {
        var copy = CachedObject.Copy(ds);
        copy.Status = status;
        try
        {
            await _client.AppsV1.ReplaceNamespacedDaemonSetStatusAsync(copy, ds.Metadata.Name, ds.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // StatusUpdateRetries = 1: once more on the object as it is now.
            var latest = await _client.AppsV1.ReadNamespacedDaemonSetAsync(ds.Metadata.Name, ds.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (latest.Metadata.Generation != ds.Metadata.Generation)
            {
                // The spec changed meanwhile: what was observed is not this generation.
                status.ObservedGeneration = latest.Status?.ObservedGeneration;
            }

            latest.Status = status;
            await _client.AppsV1.ReplaceNamespacedDaemonSetStatusAsync(latest, ds.Metadata.Name, ds.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private void EnqueueAll()
    {
        foreach (var ds in _daemonSets.Cache.List())
        {
            Enqueue(KeyOf(ds));
        }
    }

    // Node handlers (addNode, updateNode): the DaemonSets for which the node's eligibility is or became different.
    private void OnNodeAdded(V1Node node)
    {
        foreach (var ds in _daemonSets.Cache.List())
        {
            if (DaemonPods.ShouldRun(node, ds).ShouldRun)
            {
                Enqueue(KeyOf(ds));
            }
        }
    }

    private void OnNodeUpdated(V1Node old, V1Node node)
    {
        // Only labels, taints and the name decide eligibility: heartbeats and other status changes are ignored
        // (upstream's shouldIgnoreNodeUpdate, narrowed to what NodeShouldRunDaemonPod reads).
        if (SameLabels(old.Metadata.Labels, node.Metadata.Labels) && SameTaints(old.Spec?.Taints, node.Spec?.Taints))
        {
            return;
        }

        foreach (var ds in _daemonSets.Cache.List())
        {
            if (DaemonPods.ShouldRun(old, ds) != DaemonPods.ShouldRun(node, ds))
            {
                Enqueue(KeyOf(ds));
            }
        }
    }

    private static bool SameLabels(IDictionary<string, string>? left, IDictionary<string, string>? right) =>
        (left?.Count ?? 0) == (right?.Count ?? 0) && (left is null || left.All(pair => right!.TryGetValue(pair.Key, out var value) && value == pair.Value));

    private static bool SameTaints(IList<V1Taint>? left, IList<V1Taint>? right) =>
        (left?.Count ?? 0) == (right?.Count ?? 0)
        && (left ?? []).Zip(right ?? []).All(pair => (pair.First.Key, pair.First.Value, pair.First.Effect) == (pair.Second.Key, pair.Second.Value, pair.Second.Effect));

    // addHistory, updateHistory, deleteHistory: the owner, or the DaemonSets an orphan might belong to.
    private void OnRevisionChanged(V1ControllerRevision revision)
    {
        if (OwnerKey(revision.Metadata) is { } key)
        {
            Enqueue(key);
        }
        else if (revision.Metadata.OwnerReferences?.Any(o => o.Controller == true) != true)
        {
            EnqueueMatching(revision.Metadata);
        }
    }

    private string? OwnerKey(V1ObjectMeta metadata)
    {
        var owner = metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null || owner.Kind != "DaemonSet" || !(owner.ApiVersion?.StartsWith("apps/", StringComparison.Ordinal) ?? false))
        {
            return null;
        }

        var ds = _daemonSets.Cache.Get(metadata.NamespaceProperty, owner.Name);
        return ds is not null && ds.Metadata.Uid == owner.Uid ? KeyOf(ds) : null;
    }

    private void EnqueueMatching(V1ObjectMeta metadata)
    {
        foreach (var ds in _daemonSets.Cache.List(metadata.NamespaceProperty))
        {
            if (LabelSelectors.Matches(ds.Spec.Selector, metadata.Labels))
            {
                Enqueue(KeyOf(ds));
            }
        }
    }
}
