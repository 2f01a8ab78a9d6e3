using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Objects;
using Timonel.Controllers.History;
using Timonel.Controllers.ReplicaSet;

namespace Timonel.Controllers.StatefulSet;

/// <summary>
/// Keeps every StatefulSet's ordered, named pods and their claims, as kube-controller-manager's statefulset controller
/// does (pkg/controller/statefulset: stateful_set.go, stateful_set_control.go): pods <c>set-ordinal</c> from
/// spec.ordinals.start, claims from the volumeClaimTemplates created before their pod; OrderedReady creates ordinal i
/// only once every lower one is Running and Ready (and available), and removes from the highest, one at a time,
/// waiting for each to terminate; Parallel does both at once. Template changes become ControllerRevisions; a rolling
/// update replaces pods of another revision from the highest ordinal down to the partition; OnDelete waits for users
/// to delete them. Keys are namespace/name.
/// </summary>
public sealed class StatefulSetController : ControllerBase
{
    /// <summary>The component events are reported by (upstream's statefulset controller's recorder).</summary>
    public const string Component = "statefulset-controller";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1StatefulSet> _sets;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly ControllerHistory _history;
    private readonly StatefulPodControl _podControl;

    public StatefulSetController(
        IKubernetes client,
        SharedInformer<V1StatefulSet> sets,
        SharedInformer<V1Pod> pods,
        SharedInformer<V1ControllerRevision> revisions,
        SharedInformer<V1PersistentVolumeClaim> claims,
        IEventRecorder events,
        TimeProvider time,
        ILogger<StatefulSetController> logger)
        : base(logger, time, [sets, pods, revisions, claims], workers: 5) // --concurrent-statefulset-syncs
    {
        _client = client;
        _sets = sets;
        _pods = pods;
        _history = new ControllerHistory(client, revisions.Cache);
        _podControl = new StatefulPodControl(client, claims.Cache, events);
        sets.AddHandlers(new(
            OnAdd: set => Enqueue(ObjectKey.Of(set)),
            OnUpdate: (_, set) => Enqueue(ObjectKey.Of(set)),
            OnDelete: set => Enqueue(ObjectKey.Of(set))));
        pods.AddHandlers(new(OnAdd: OnPodAdded, OnUpdate: OnPodUpdated, OnDelete: OnPodDeleted));
    }

    /// <summary>sync and syncStatefulSet.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_sets.Cache.Get(ns, name) is not { } cached)
        {
            return SyncResult.Done;
        }

        // The cache's object is shared: work on a copy.
        var set = KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(cached));
        var reference = OwnerReference(set);
        var revisions = await _history.ClaimAsync(set.Metadata, reference, set.Spec.Selector, cancellationToken).ConfigureAwait(false);
        var pods = await ClaimPodsAsync(set, reference, cancellationToken).ConfigureAwait(false);
        var status = await UpdateStatefulSetAsync(set, reference, pods, revisions, cancellationToken).ConfigureAwait(false);

        // A pod ready but not yet available becomes available after minReadySeconds: look again then.
        var minReady = set.Spec.MinReadySeconds ?? 0;
        return minReady > 0 && status.AvailableReplicas != StatefulPods.Replicas(set)
            ? SyncResult.Requeue(TimeSpan.FromSeconds(minReady))
            : SyncResult.Done;
    }

    private static V1OwnerReference OwnerReference(V1StatefulSet set) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Name = set.Metadata.Name,
        Uid = set.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>getPodsForStatefulSet: the set's members (by name) it controls or adopts.</summary>
    private Task<List<V1Pod>> ClaimPodsAsync(V1StatefulSet set, V1OwnerReference reference, CancellationToken cancellationToken) =>
        ControllerRefManager.ClaimAsync(
            set.Metadata,
            reference,
            set.Spec.Selector,
            _pods.Cache.List(set.Metadata.NamespaceProperty).Where(p => StatefulPods.IsMemberOf(set, p)),
            adoptable: _ => true,
            releasable: _ => true,
            (pod, patch) => ControllerRefManager.PatchAsync(() => _client.CoreV1.PatchNamespacedPodAsync(
                new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken)));

    /// <summary>UpdateStatefulSet: revisions, the pods brought in line, status written, history truncated.</summary>
    private async Task<V1StatefulSetStatus> UpdateStatefulSetAsync(V1StatefulSet set, V1OwnerReference reference, List<V1Pod> pods, List<V1ControllerRevision> claimed, CancellationToken cancellationToken)
    {
        var revisions = ControllerRevisions.Sorted(claimed);
        var (current, update, collisionCount) = await RevisionsAsync(set, reference, revisions, cancellationToken).ConfigureAwait(false);
        try
        {
            var (status, failure) = await UpdatePodsAsync(set, reference, current, update, collisionCount, pods, cancellationToken).ConfigureAwait(false);
            await UpdateStatusAsync(set, status, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            return status;
        }
        finally
        {
            await TruncateHistoryAsync(set, pods, revisions, current, update, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// getStatefulSetRevisions: the update revision is the set's template now (the latest revision if equal, an older
    /// equal one renumbered as a rollback, else a new one); the current revision is status.currentRevision's, or the
    /// update revision when there is none.
    /// </summary>
    private async Task<(V1ControllerRevision Current, V1ControllerRevision Update, int CollisionCount)> RevisionsAsync(
        V1StatefulSet set, V1OwnerReference reference, List<V1ControllerRevision> revisions, CancellationToken cancellationToken)
    {
        int? collisionCount = set.Status?.CollisionCount ?? 0;
        var candidate = StatefulSetRevisions.New(set, reference, StatefulSetRevisions.Next(revisions), collisionCount);
        var equal = ControllerRevisions.FindEqual(revisions, candidate);
        V1ControllerRevision update;
        if (equal.Count > 0 && ControllerRevisions.Equal(revisions[^1], equal[^1]))
        {
            update = revisions[^1];
        }
        else if (equal.Count > 0)
        {
            update = await _history.UpdateRevisionAsync(equal[^1], candidate.Revision ?? 0, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            (update, collisionCount) = await _history.CreateAsync(set.Metadata, candidate, collisionCount, cancellationToken).ConfigureAwait(false);
        }

        var current = revisions.FirstOrDefault(r => r.Metadata.Name == set.Status?.CurrentRevision) ?? update;
        return (current, update, collisionCount ?? 0);
    }

    /// <summary>
    /// updateStatefulSet: sorts pods into replicas (ordinals in range) and condemned; creates missing and replaces
    /// failed replicas, repairs identity and storage, removes condemned pods, then rolls pods of another revision.
    /// Answers the status and the failure, if any, that stopped it (the status is written either way, as upstream).
    /// </summary>
    private async Task<(V1StatefulSetStatus Status, Exception? Failure)> UpdatePodsAsync(
        V1StatefulSet set,
        V1OwnerReference reference,
        V1ControllerRevision currentRevision,
        V1ControllerRevision updateRevision,
        int collisionCount,
        List<V1Pod> pods,
        CancellationToken cancellationToken)
    {
        var currentSet = StatefulSetRevisions.Apply(set, currentRevision);
        var updateSet = StatefulSetRevisions.Apply(set, updateRevision);
        var now = Time.GetUtcNow().UtcDateTime;
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var status = new V1StatefulSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            CurrentRevision = currentRevision.Metadata.Name,
            UpdateRevision = updateRevision.Metadata.Name,
            CollisionCount = collisionCount,
        };
        Count(status, minReady, now, currentRevision, updateRevision, pods);

        var start = StatefulPods.StartOrdinal(set);
        var replicas = new V1Pod[StatefulPods.Replicas(set)];
        var condemned = new List<V1Pod>();
        foreach (var pod in pods)
        {
            var ordinal = StatefulPods.Ordinal(pod);
            if (StatefulPods.InOrdinalRange(set, pod))
            {
                replicas[ordinal - start] = pod;
            }
            else if (ordinal >= 0)
            {
                condemned.Add(pod);
            }
        }

        for (var i = 0; i < replicas.Length; i++)
        {
            replicas[i] ??= NewVersionedPod(currentSet, updateSet, reference, currentRevision.Metadata.Name, updateRevision.Metadata.Name, start + i);
        }

        condemned.Sort((a, b) => StatefulPods.Ordinal(b).CompareTo(StatefulPods.Ordinal(a)));

        // The first unavailable pod: the lowest replica, else the lowest condemned one.
        var firstUnavailable = replicas.FirstOrDefault(p => StatefulPods.IsUnavailable(p, minReady, now))
            ?? Enumerable.Reverse(condemned).FirstOrDefault(p => StatefulPods.IsUnavailable(p, minReady, now));

        if (set.Metadata.DeletionTimestamp is not null)
        {
            return (status, null);
        }

        var monotonic = set.Spec.PodManagementPolicy != "Parallel";
        try
        {
            if (await RunForAllAsync(replicas, i => ProcessReplicaAsync(set, updateSet, reference, monotonic, replicas, i, now, cancellationToken), monotonic).ConfigureAwait(false)
                || await RunForAllAsync(condemned, i => FixCondemnedClaimsAsync(updateSet, reference, condemned[i], cancellationToken), monotonic).ConfigureAwait(false)
                || await RunForAllAsync(condemned, i => ProcessCondemnedAsync(set, firstUnavailable, monotonic, condemned, i, now, cancellationToken), monotonic).ConfigureAwait(false))
            {
                Count(status, minReady, now, currentRevision, updateRevision, [.. replicas, .. condemned]);
                return (status, null);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Count(status, minReady, now, currentRevision, updateRevision, [.. replicas, .. condemned]);
            return (status, ex);
        }

        Count(status, minReady, now, currentRevision, updateRevision, [.. replicas, .. condemned]);
        if (set.Spec.UpdateStrategy?.Type == "OnDelete")
        {
            // Pods are replaced only as users delete them.
            return (status, null);
        }

        try
        {
            await RollAsync(set, replicas, updateRevision, status, minReady, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (status, ex);
        }

        return (status, null);
    }

    /// <summary>
    /// The rolling update: pods of another revision replaced from the highest ordinal down to the partition. Without
    /// maxUnavailable (upstream's path while the MaxUnavailableStatefulSet gate is off, the default in 1.32) one pod
    /// at a time, waiting for each replacement to be available; with it (the gate's path,
    /// updateStatefulSetAfterInvariantEstablished) up to maxUnavailable unavailable replicas at once.
    /// </summary>
    private async Task RollAsync(V1StatefulSet set, V1Pod[] replicas, V1ControllerRevision updateRevision, V1StatefulSetStatus status, int minReady, DateTime now, CancellationToken cancellationToken)
    {
        var rolling = set.Spec.UpdateStrategy?.RollingUpdate;
        var partition = rolling?.Partition ?? 0;
        if (rolling?.MaxUnavailable is { } maxUnavailableValue)
        {
            var maxUnavailable = Math.Max(1, IntOrPercent(maxUnavailableValue, replicas.Length));
            var unavailable = replicas.Count(p => StatefulPods.IsUnavailable(p, minReady, now));
            var deleted = 0;
            for (var target = replicas.Length - 1; target >= partition && unavailable <= maxUnavailable && deleted < maxUnavailable - unavailable; target--)
            {
                if (StatefulPods.Revision(replicas[target]) != updateRevision.Metadata.Name && !StatefulPods.IsTerminating(replicas[target]))
                {
                    await DeleteForUpdateAsync(set, replicas[target], cancellationToken).ConfigureAwait(false);
                    deleted++;
                    status.CurrentReplicas--;
                }
            }

            return;
        }

        for (var target = replicas.Length - 1; target >= partition; target--)
        {
            if (StatefulPods.Revision(replicas[target]) != updateRevision.Metadata.Name && !StatefulPods.IsTerminating(replicas[target]))
            {
                await DeleteForUpdateAsync(set, replicas[target], cancellationToken).ConfigureAwait(false);
                status.CurrentReplicas--;
                return;
            }

            if (StatefulPods.IsUnavailable(replicas[target], minReady, now))
            {
                // Wait for the replacement before touching the next ordinal.
                return;
            }
        }
    }

    private async Task DeleteForUpdateAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        Logger.LogDebug("Pod {Pod} of StatefulSet {Set} is terminating for update", pod.Metadata.Name, ObjectKey.Of(set));
        try
        {
            await _podControl.DeletePodAsync(set, pod, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private static int IntOrPercent(IntOrString value, int total)
    {
        var text = value.Value;
        if (text.EndsWith('%') && int.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var percent))
        {
            // Rounded down, as GetScaledValueFromIntOrPercent(..., false).
            return percent * total / 100;
        }

        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : 1;
    }

    /// <summary>
    /// newVersionedStatefulSetPod: ordinals below the partition are created at the current revision, the rest at
    /// the update revision.
    /// </summary>
    private static V1Pod NewVersionedPod(V1StatefulSet currentSet, V1StatefulSet updateSet, V1OwnerReference reference, string currentRevision, string updateRevision, int ordinal)
    {
        var strategy = currentSet.Spec.UpdateStrategy;
        var start = StatefulPods.StartOrdinal(currentSet);
        var atCurrent = (strategy?.Type == "RollingUpdate" && strategy.RollingUpdate is null && ordinal < start + (currentSet.Status?.CurrentReplicas ?? 0))
            || (strategy?.RollingUpdate is { } rolling && ordinal < start + (rolling.Partition ?? 0));
        var pod = StatefulPods.NewPod(atCurrent ? currentSet : updateSet, reference, ordinal);
        pod.Metadata.Labels[StatefulPods.RevisionLabel] = atCurrent ? currentRevision : updateRevision;
        return pod;
    }

    /// <summary>
    /// runForAll: OrderedReady goes pod by pod and stops at the first that says to (true); Parallel runs all in
    /// slow-start batches and stops only on failure. Answers whether the sync is to stop here.
    /// </summary>
    private static async Task<bool> RunForAllAsync(IReadOnlyList<V1Pod> pods, Func<int, Task<bool>> process, bool monotonic)
    {
        if (monotonic)
        {
            for (var i = 0; i < pods.Count; i++)
            {
                if (await process(i).ConfigureAwait(false))
                {
                    return true;
                }
            }

            return false;
        }

        var next = -1;
        try
        {
            await ReplicaSetController.SlowStartBatchAsync(pods.Count, () => process(Interlocked.Increment(ref next))).ConfigureAwait(false);
        }
        catch (SlowStartException ex)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
        }

        return false;
    }

    /// <summary>processReplica: true to stop the sync here (always on a failure, and in OrderedReady while waiting).</summary>
    private async Task<bool> ProcessReplicaAsync(V1StatefulSet set, V1StatefulSet updateSet, V1OwnerReference reference, bool monotonic, V1Pod[] replicas, int i, DateTime now, CancellationToken cancellationToken)
    {
        var pod = replicas[i];

        // Failed, and also Succeeded (an evicted or node-rebooted pod's phase follows its exit code): deleted, and
        // created again on a later sync once it is gone. Since 1.31 upstream records no RecreatingFailedPod or
        // RecreatingTerminatedPod event for it (kubernetes/kubernetes#123809), only the deletion's.
        if (StatefulPods.IsFailed(pod) || StatefulPods.IsSucceeded(pod))
        {
            if (pod.Metadata.DeletionTimestamp is null)
            {
                await _podControl.DeletePodAsync(set, pod, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        if (!StatefulPods.IsCreated(pod))
        {
            if (_podControl.PodClaimIsStale(set, pod))
            {
                // A claim of an earlier pod of this ordinal is still being collected.
                return true;
            }

            await _podControl.CreatePodAsync(set, reference, pod, cancellationToken).ConfigureAwait(false);
            if (monotonic)
            {
                return true;
            }
        }

        if (StatefulPods.IsPending(pod))
        {
            await _podControl.CreateMissingClaimsAsync(set, reference, pod, cancellationToken).ConfigureAwait(false);
        }

        var minReady = set.Spec.MinReadySeconds ?? 0;
        if (monotonic && (StatefulPods.IsTerminating(pod) || !StatefulPods.IsRunningAndReady(pod) || !StatefulPods.IsRunningAndAvailable(pod, minReady, now)))
        {
            // OrderedReady: no successor before this one is Running, Ready and available.
            return true;
        }

        if (!StatefulPods.IsCreated(pod))
        {
            return false;
        }

        if (StatefulPods.IdentityMatches(set, pod) && StatefulPods.StorageMatches(set, pod) && _podControl.ClaimsMatchRetentionPolicy(updateSet, pod))
        {
            return false;
        }

        await _podControl.UpdatePodAsync(updateSet, reference, pod, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private async Task<bool> FixCondemnedClaimsAsync(V1StatefulSet updateSet, V1OwnerReference reference, V1Pod pod, CancellationToken cancellationToken)
    {
        if (!_podControl.ClaimsMatchRetentionPolicy(updateSet, pod))
        {
            await _podControl.UpdateClaimsForRetentionAsync(updateSet, reference, pod, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>processCondemned: scale down from the highest ordinal; OrderedReady waits for each to terminate.</summary>
    private async Task<bool> ProcessCondemnedAsync(V1StatefulSet set, V1Pod? firstUnavailable, bool monotonic, List<V1Pod> condemned, int i, DateTime now, CancellationToken cancellationToken)
    {
        var pod = condemned[i];
        if (StatefulPods.IsTerminating(pod))
        {
            return monotonic;
        }

        var minReady = set.Spec.MinReadySeconds ?? 0;
        if (monotonic && !ReferenceEquals(pod, firstUnavailable)
            && (!StatefulPods.IsRunningAndReady(pod) || !StatefulPods.IsRunningAndAvailable(pod, minReady, now)))
        {
            // Only the first unhealthy pod may go while others are unhealthy.
            return true;
        }

        Logger.LogDebug("Pod {Pod} of StatefulSet {Set} is terminating for scale down", pod.Metadata.Name, ObjectKey.Of(set));
        await _podControl.DeletePodAsync(set, pod, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>updateStatus / computeReplicaStatus over the given pods.</summary>
    private static void Count(V1StatefulSetStatus status, int minReady, DateTime now, V1ControllerRevision current, V1ControllerRevision update, IEnumerable<V1Pod> pods)
    {
        status.Replicas = 0;
        status.ReadyReplicas = 0;
        status.AvailableReplicas = 0;
        status.CurrentReplicas = 0;
        status.UpdatedReplicas = 0;
        foreach (var pod in pods)
        {
            var created = StatefulPods.IsCreated(pod);
            if (created)
            {
                status.Replicas++;
            }

            if (StatefulPods.IsRunningAndReady(pod))
            {
                status.ReadyReplicas++;
                if (StatefulPods.IsRunningAndAvailable(pod, minReady, now))
                {
                    status.AvailableReplicas++;
                }
            }

            if (created && !StatefulPods.IsTerminating(pod))
            {
                var revision = StatefulPods.Revision(pod);
                if (revision == current.Metadata.Name)
                {
                    status.CurrentReplicas++;
                }

                if (revision == update.Metadata.Name)
                {
                    status.UpdatedReplicas++;
                }
            }
        }
    }

    /// <summary>
    /// updateStatefulSetStatus: a rolling update whose pods are all updated and ready completes (the update revision
    /// becomes current); written only when it differs from the set's (inconsistentStatus), retrying on conflict.
    /// </summary>
    private async Task UpdateStatusAsync(V1StatefulSet set, V1StatefulSetStatus status, CancellationToken cancellationToken)
    {
        var replicas = StatefulPods.Replicas(set);
        if (set.Spec.UpdateStrategy?.Type == "RollingUpdate" && status.UpdatedReplicas == replicas && status.ReadyReplicas == replicas && status.Replicas == replicas)
        {
            status.CurrentReplicas = status.UpdatedReplicas;
            status.CurrentRevision = status.UpdateRevision;
        }

        var old = set.Status ?? new V1StatefulSetStatus();
        if (!(status.ObservedGeneration > (old.ObservedGeneration ?? 0)
            || status.Replicas != old.Replicas
            || status.CurrentReplicas != (old.CurrentReplicas ?? 0)
            || status.ReadyReplicas != (old.ReadyReplicas ?? 0)
            || status.UpdatedReplicas != (old.UpdatedReplicas ?? 0)
            || status.CurrentRevision != old.CurrentRevision
            || status.AvailableReplicas != (old.AvailableReplicas ?? 0)
            || status.UpdateRevision != old.UpdateRevision))
        {
            return;
        }

        // Upstream's statusUpdater keeps the conditions it does not own.
        status.Conditions = old.Conditions;
        var target = set;
        for (var attempt = 0; ; attempt++)
        {
            target.Status = status;
            try
            {
                await _client.AppsV1.ReplaceNamespacedStatefulSetStatusAsync(target, target.Metadata.Name, target.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < 4)
            {
                target = await _client.AppsV1.ReadNamespacedStatefulSetAsync(set.Metadata.Name, set.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>truncateHistory: non-live revisions beyond spec.revisionHistoryLimit go, oldest first.</summary>
    private async Task TruncateHistoryAsync(V1StatefulSet set, List<V1Pod> pods, List<V1ControllerRevision> revisions, V1ControllerRevision current, V1ControllerRevision update, CancellationToken cancellationToken)
    {
        var limit = set.Spec.RevisionHistoryLimit ?? 10;
        if (limit < 0)
        {
            return;
        }

        var live = pods.Select(StatefulPods.Revision).Append(current.Metadata.Name).Append(update.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        await _history.TruncateAsync(revisions, r => live.Contains(r.Metadata.Name), limit, cancellationToken).ConfigureAwait(false);
    }

    // Pod handlers (addPod, updatePod, deletePod): the owning set, or for an orphan every set whose selector matches.
    private void OnPodAdded(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            OnPodDeleted(pod);
            return;
        }

        if (OwnerKey(pod) is { } key)
        {
            Enqueue(key);
            return;
        }

        EnqueueMatching(pod);
    }

    private void OnPodUpdated(V1Pod old, V1Pod pod)
    {
        if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion && old.Metadata.ResourceVersion is not null)
        {
            // A resync: nothing changed.
            return;
        }

        var oldOwner = OwnerKey(old);
        var owner = OwnerKey(pod);
        if (oldOwner is not null && oldOwner != owner)
        {
            Enqueue(oldOwner);
        }

        if (owner is not null)
        {
            Enqueue(owner);
            var (ns, name) = ObjectKey.Split(owner);
            if (_sets.Cache.Get(ns, name)?.Spec.MinReadySeconds is > 0 and var minReady
                && !StatefulPods.IsRunningAndReady(old) && StatefulPods.IsRunningAndReady(pod))
            {
                // Ready now, available after minReadySeconds: look again then.
                Queue.AddAfter(owner, TimeSpan.FromSeconds(minReady));
            }

            return;
        }

        EnqueueMatching(pod);
    }

    private void OnPodDeleted(V1Pod pod)
    {
        if (OwnerKey(pod) is { } key)
        {
            Enqueue(key);
        }
    }

    private string? OwnerKey(V1Pod pod)
    {
        if (pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is not { Kind: "StatefulSet" } owner || owner.ApiVersion?.StartsWith("apps/", StringComparison.Ordinal) != true)
        {
            return null;
        }

        var set = _sets.Cache.Get(pod.Metadata.NamespaceProperty, owner.Name);
        return set is not null && set.Metadata.Uid == owner.Uid ? ObjectKey.Of(set) : null;
    }

    private void EnqueueMatching(V1Pod pod)
    {
        foreach (var set in _sets.Cache.List(pod.Metadata.NamespaceProperty))
        {
            if (LabelSelectors.Matches(set.Spec.Selector, pod.Metadata.Labels))
            {
                Enqueue(ObjectKey.Of(set));
            }
        }
    }
}
