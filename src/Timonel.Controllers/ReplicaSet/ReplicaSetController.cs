using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Objects;

namespace Timonel.Controllers.ReplicaSet;

/// <summary>
/// Keeps spec.replicas active pods for every ReplicaSet, as kube-controller-manager's replicaset controller does
/// (pkg/controller/replicaset/replica_set.go): it adopts orphan pods its selector matches and releases owned pods
/// that stop matching, creates missing pods from spec.template in slow-start batches (1, 2, 4, ...), deletes surplus
/// pods in upstream's ranking, and reports status through the status subresource. Keys are namespace/name.
/// The same controller runs ReplicationControllers, seen as ReplicaSets through a <see cref="ReplicaSetSource"/>
/// (upstream's ReplicationManager is its ReplicaSet controller over adapters).
/// </summary>
public sealed class ReplicaSetController : ControllerBase
{
    /// <summary>Upstream's BurstReplicas: at most this many creations or deletions per sync.</summary>
    public const int BurstReplicas = 500;

    /// <summary>The component events are reported by (upstream's replicaset controller's recorder).</summary>
    public const string Component = "replicaset-controller";

    private readonly IKubernetes _client;
    private readonly ReplicaSetSource _replicaSets;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly PodExpectations _expectations;
    private readonly IEventRecorder _events;

    public ReplicaSetController(IKubernetes client, SharedInformer<V1ReplicaSet> replicaSets, SharedInformer<V1Pod> pods, IEventRecorder events, TimeProvider time, ILogger<ReplicaSetController> logger)
        : this(client, new ReplicaSets(replicaSets), pods, events, time, logger)
    {
    }

    internal ReplicaSetController(IKubernetes client, ReplicaSetSource replicaSets, SharedInformer<V1Pod> pods, IEventRecorder events, TimeProvider time, ILogger logger)
        : base(logger, time, [replicaSets.Informer, pods], workers: 5)
    {
        _client = client;
        _replicaSets = replicaSets;
        _pods = pods;
        _expectations = new PodExpectations(time);
        _events = events;
        pods.AddIndexer(Indexers.OwnerUidIndex, Indexers.OwnerUid);
        replicaSets.AddHandlers(new(
            OnAdd: rs => Enqueue(KeyOf(rs)),
            OnUpdate: (_, rs) => Enqueue(KeyOf(rs)),
            OnDelete: rs =>
            {
                _expectations.Delete(KeyOf(rs));
                Enqueue(KeyOf(rs));
            }));
        pods.AddHandlers(new OwnedPodHandlers(_expectations, OwnerKey, EnqueueMatching, Enqueue).Handlers);
    }

    /// <summary>syncReplicaSet.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_replicaSets.Get(ns, name) is not { } rs)
        {
            _expectations.Delete(key);
            return SyncResult.Done;
        }

        var needsSync = _expectations.Satisfied(key) && rs.Metadata.DeletionTimestamp is null;
        var pods = await ClaimPodsAsync(rs, cancellationToken).ConfigureAwait(false);
        var active = pods.Where(IsActive).ToList();
        if (needsSync)
        {
            try
            {
                await ManageReplicasAsync(key, rs, active, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex)
            {
                // Upstream still reports status when manageReplicas fails, with the ReplicaFailure condition, then
                // retries the key.
                var reason = active.Count < (rs.Spec.Replicas ?? 1) ? "FailedCreate" : "FailedDelete";
                await UpdateStatusAsync(rs, active, (reason, ApiErrors.Message(ex)), cancellationToken).ConfigureAwait(false);
                throw;
            }
        }

        var status = await UpdateStatusAsync(rs, active, null, cancellationToken).ConfigureAwait(false);

        // A pod ready but not yet available becomes available after minReadySeconds: look again then (upstream
        // requeues after MinReadySeconds as well).
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        return minReady > 0 && status.ReadyReplicas != status.AvailableReplicas
            ? SyncResult.Requeue(TimeSpan.FromSeconds(minReady))
            : SyncResult.Done;
    }

    private static bool IsActive(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed");

    private static string KeyOf(V1ReplicaSet rs) => $"{rs.Metadata.NamespaceProperty}/{rs.Metadata.Name}";

    private static V1OwnerReference? ControllerOf(V1Pod pod) => pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    /// <summary>
    /// The pod controller ref manager's ClaimPods: owned pods that match stay, owned pods that stopped matching are
    /// released (unless already being deleted), active orphans that match are adopted.
    /// </summary>
    private Task<List<V1Pod>> ClaimPodsAsync(V1ReplicaSet rs, CancellationToken cancellationToken) =>
        ControllerRefManager.ClaimAsync(
            rs.Metadata,
            OwnerReference(rs),
            rs.Spec.Selector,
            _pods.Cache.List(rs.Metadata.NamespaceProperty),
            adoptable: IsActive,
            releasable: pod => pod.Metadata.DeletionTimestamp is null,
            (pod, patch) => PatchPodAsync(pod, patch, cancellationToken));

    private Task<bool> PatchPodAsync(V1Pod pod, string patch, CancellationToken cancellationToken) =>
        ControllerRefManager.PatchAsync(() => _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken));

    private V1OwnerReference OwnerReference(V1ReplicaSet rs) => new()
    {
        ApiVersion = _replicaSets.ApiVersion,
        Kind = _replicaSets.Kind,
        Name = rs.Metadata.Name,
        Uid = rs.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>manageReplicas.</summary>
    private async Task ManageReplicasAsync(string key, V1ReplicaSet rs, List<V1Pod> active, CancellationToken cancellationToken)
    {
        var diff = active.Count - (rs.Spec.Replicas ?? 1);
        if (diff < 0)
        {
            var toCreate = Math.Min(-diff, BurstReplicas);
            _expectations.Expect(key, toCreate, 0);
            try
            {
                await SlowStartBatchAsync(toCreate, () => CreatePodAsync(rs, cancellationToken)).ConfigureAwait(false);
            }
            catch (SlowStartException ex)
            {
                // Creations refused or never attempted will never be observed.
                _expectations.Lower(key, toCreate - ex.Succeeded, 0);
                throw ex.InnerException!;
            }
        }
        else if (diff > 0)
        {
            var toDelete = active.Order(PodRanking.Instance).Take(Math.Min(diff, BurstReplicas)).ToList();
            _expectations.Expect(key, 0, toDelete.Count);
            var deletions = toDelete.Select(async pod =>
            {
                try
                {
                    await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                    _events.Event(Reference(rs), "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    // Already gone: its deletion event may never come, so do not wait for it.
                    _expectations.DeletionObserved(key);
                }
                catch (Exception ex)
                {
                    _expectations.DeletionObserved(key);
                    if (ex is HttpOperationException failed)
                    {
                        // RealPodControl.DeletePod's event.
                        _events.Event(Reference(rs), "Warning", "FailedDelete", $"Error deleting: {ApiErrors.Message(failed)}");
                    }

                    throw;
                }
            }).ToList();
            await Task.WhenAll(deletions).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Upstream's slowStartBatch (pkg/controller/replicaset/replica_set.go): batches of 1, 2, 4, ... calls, stopping
    /// after the first batch with a failure, so a quota or admission error costs one call rather than hundreds.
    /// A failure is thrown as a <see cref="SlowStartException"/> that says how many succeeded.
    /// </summary>
    internal static async Task SlowStartBatchAsync(int count, Func<Task> call)
    {
        var succeeded = 0;
        var remaining = count;
        for (var batch = Math.Min(remaining, 1); batch > 0; batch = Math.Min(2 * batch, remaining))
        {
            var tasks = Enumerable.Range(0, batch).Select(_ => call()).ToList();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch
            {
                succeeded += tasks.Count(t => t.IsCompletedSuccessfully);
                throw new SlowStartException(succeeded, tasks.First(t => t.IsFaulted).Exception!.InnerException!);
            }

            succeeded += batch;
            remaining -= batch;
        }
    }

    private async Task CreatePodAsync(V1ReplicaSet rs, CancellationToken cancellationToken)
    {
        var pod = PodControl.FromTemplate(rs.Spec.Template, rs.Metadata.Name, OwnerReference(rs));
        await PodControl.CreateAsync(_client, _events, Reference(rs), pod, cancellationToken).ConfigureAwait(false);
    }

    // Events name the object as its kind, not as the ReplicaSet a ReplicationController is seen as.
    private V1ObjectReference Reference(V1ReplicaSet rs) => new()
    {
        ApiVersion = _replicaSets.ApiVersion,
        Kind = _replicaSets.Kind,
        Name = rs.Metadata.Name,
        NamespaceProperty = rs.Metadata.NamespaceProperty,
        Uid = rs.Metadata.Uid,
        ResourceVersion = rs.Metadata.ResourceVersion,
    };

    /// <summary>
    /// calculateStatus and updateReplicaSetStatus, written only when something changed: the ReplicaFailure condition
    /// set while creating or deleting pods fails (with the failure's reason and message), removed once it works.
    /// </summary>
    private async Task<V1ReplicaSetStatus> UpdateStatusAsync(V1ReplicaSet rs, List<V1Pod> active, (string Reason, string Message)? failure, CancellationToken cancellationToken)
    {
        var templateLabels = rs.Spec.Template?.Metadata?.Labels ?? new Dictionary<string, string>();
        var now = Time.GetUtcNow().UtcDateTime;
        var minReady = TimeSpan.FromSeconds(rs.Spec.MinReadySeconds ?? 0);
        var ready = active.Where(PodRanking.IsReady).ToList();
        var status = new V1ReplicaSetStatus
        {
            Replicas = active.Count,
            FullyLabeledReplicas = active.Count(p => templateLabels.All(l => p.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value)),
            ReadyReplicas = ready.Count,
            AvailableReplicas = ready.Count(p => minReady == TimeSpan.Zero || (PodRanking.ReadySince(p) is { } since && since + minReady <= now)),
            ObservedGeneration = rs.Metadata.Generation,
            Conditions = ReplicaFailureConditions(rs.Status?.Conditions, failure, now),
        };
        var old = rs.Status;
        if (old is not null && old.Replicas == status.Replicas && (old.FullyLabeledReplicas ?? 0) == status.FullyLabeledReplicas
            && (old.ReadyReplicas ?? 0) == status.ReadyReplicas && (old.AvailableReplicas ?? 0) == status.AvailableReplicas
            && old.ObservedGeneration == status.ObservedGeneration && ReferenceEquals(status.Conditions, old.Conditions))
        {
            return old;
        }

        try
        {
            await WriteStatusAsync(rs, status, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile: nothing to report.
        }

        return status;
    }

    // Upstream sets the condition only when none is there yet (the first failure's message stays) and removes it on a
    // sync without failure; the same list is returned when nothing changes, which the caller compares by reference.
    private static IList<V1ReplicaSetCondition>? ReplicaFailureConditions(IList<V1ReplicaSetCondition>? conditions, (string Reason, string Message)? failure, DateTime now)
    {
        var existing = conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure");
        if (failure is { } failed && existing is null)
        {
            return [.. conditions ?? [], new V1ReplicaSetCondition { Type = "ReplicaFailure", Status = "True", Reason = failed.Reason, Message = failed.Message, LastTransitionTime = now }];
        }

        if (failure is null && existing is not null)
        {
            return [.. conditions!.Where(c => c.Type != "ReplicaFailure")];
        }

        return conditions;
    }

    // Another writer (the Deployment controller's annotations, a scale) often changes the object between the cache's
    // copy and this write; upstream's updateReplicaSetStatus then reads it afresh and writes once more
    // (statusUpdateRetries = 1) rather than failing the whole sync into backoff.
    private async Task WriteStatusAsync(V1ReplicaSet rs, V1ReplicaSetStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await _replicaSets.UpdateStatusAsync(_client, rs, status, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var latest = await _replicaSets.ReadAsync(_client, rs.Metadata.NamespaceProperty, rs.Metadata.Name, cancellationToken).ConfigureAwait(false);
            await _replicaSets.UpdateStatusAsync(_client, latest, status, cancellationToken).ConfigureAwait(false);
        }
    }

    // For the pod handlers: the owning ReplicaSet, or for an orphan every ReplicaSet of its namespace whose selector
    // matches (one may adopt it).
    private string? OwnerKey(V1Pod pod)
    {
        // The owner's kind and group must be ours: a ReplicationController and a ReplicaSet may share a name.
        if (ControllerOf(pod) is not { } owner || owner.Kind != _replicaSets.Kind || GroupOf(owner.ApiVersion) != _replicaSets.Group)
        {
            return null;
        }

        var rs = _replicaSets.Get(pod.Metadata.NamespaceProperty, owner.Name);
        return rs is not null && rs.Metadata.Uid == owner.Uid ? KeyOf(rs) : null;
    }

    private static string GroupOf(string? apiVersion) =>
        apiVersion?.IndexOf('/', StringComparison.Ordinal) is { } slash and >= 0 ? apiVersion[..slash] : "";

    private void EnqueueMatching(V1Pod pod)
    {
        foreach (var rs in _replicaSets.List(pod.Metadata.NamespaceProperty))
        {
            if (LabelSelectors.Matches(rs.Spec.Selector, pod.Metadata.Labels))
            {
                Enqueue(KeyOf(rs));
            }
        }
    }
}
