using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Objects;
using static Timonel.Controllers.Deployment.DeploymentUtil;

namespace Timonel.Controllers.Deployment;

/// <summary>
/// Rolls Deployments out through ReplicaSets, as kube-controller-manager's deployment controller does
/// (pkg/controller/deployment: deployment_controller.go, sync.go, rolling.go, recreate.go, progress.go): it owns one
/// ReplicaSet per pod template, named &lt;deployment&gt;-&lt;pod-template-hash&gt;, grows the new one and shrinks
/// the old ones within maxSurge and maxUnavailable (or all old ones first for Recreate), scales every active one in
/// proportion when spec.replicas changes mid-rollout, keeps revisionHistoryLimit old ones, and reports status with
/// the Available and Progressing conditions (progressDeadlineSeconds included). Keys are namespace/name.
/// </summary>
public sealed class DeploymentController : ControllerBase
{
    /// <summary>The component events are reported by (upstream's deployment controller's recorder).</summary>
    public const string Component = "deployment-controller";

    private const string GroupVersion = "apps/v1";
    private const string Kind = "Deployment";
    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Deployment> _deployments;
    private readonly SharedInformer<V1ReplicaSet> _replicaSets;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly IEventRecorder _events;

    public DeploymentController(IKubernetes client, SharedInformer<V1Deployment> deployments, SharedInformer<V1ReplicaSet> replicaSets, SharedInformer<V1Pod> pods, IEventRecorder events, TimeProvider time, ILogger<DeploymentController> logger)
        : base(logger, time, [deployments, replicaSets, pods], workers: 5)
    {
        _client = client;
        _deployments = deployments;
        _replicaSets = replicaSets;
        _pods = pods;
        _events = events;
        pods.AddIndexer(Indexers.OwnerUidIndex, Indexers.OwnerUid);
        replicaSets.AddIndexer(Indexers.OwnerUidIndex, Indexers.OwnerUid);
        deployments.AddHandlers(new(
            OnAdd: d => Enqueue(KeyOf(d)),
            OnUpdate: (_, d) => Enqueue(KeyOf(d)),
            OnDelete: d => Enqueue(KeyOf(d))));
        replicaSets.AddHandlers(new(OnAdd: OnReplicaSetAdded, OnUpdate: OnReplicaSetUpdated, OnDelete: OnReplicaSetDeleted));
        pods.AddHandlers(new(OnDelete: OnPodDeleted));
    }

    /// <summary>syncDeployment.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_deployments.Cache.Get(ns, name) is not { } cached)
        {
            return SyncResult.Done;
        }

        // The lister's object is shared: the sync works on a copy, as upstream's DeepCopy.
        var d = Clone(cached);
        d.Status ??= new V1DeploymentStatus();
        if (d.Spec.Selector is null || ((d.Spec.Selector.MatchLabels?.Count ?? 0) == 0 && (d.Spec.Selector.MatchExpressions?.Count ?? 0) == 0))
        {
            _events.Event(d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if ((d.Status.ObservedGeneration ?? 0) < (d.Metadata.Generation ?? 0))
            {
                d.Status.ObservedGeneration = d.Metadata.Generation;
                await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
            }

            return SyncResult.Done;
        }

        var rsList = await ClaimReplicaSetsAsync(d, cancellationToken).ConfigureAwait(false);
        if (d.Metadata.DeletionTimestamp is not null)
        {
            var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, false, cancellationToken).ConfigureAwait(false);
            await SyncDeploymentStatusAsync([.. oldRss, newRs], newRs, d, cancellationToken).ConfigureAwait(false);
            return SyncResult.Done;
        }

        await CheckPausedConditionsAsync(d, cancellationToken).ConfigureAwait(false);
        if (d.Spec.Paused == true || await IsScalingEventAsync(d, rsList, cancellationToken).ConfigureAwait(false))
        {
            await ScaleOnlyAsync(d, rsList, cancellationToken).ConfigureAwait(false);
            return SyncResult.Done;
        }

        return d.Spec.Strategy?.Type == "Recreate"
            ? await RolloutRecreateAsync(d, rsList, cancellationToken).ConfigureAwait(false)
            : await RolloutRollingAsync(d, rsList, cancellationToken).ConfigureAwait(false);
    }

    private static string KeyOf(V1Deployment d) => $"{d.Metadata.NamespaceProperty}/{d.Metadata.Name}";

    private static T Clone<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    private static V1OwnerReference? ControllerOf(V1ObjectMeta meta) => meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    private DateTime Now() => TruncateToSeconds(Time.GetUtcNow().UtcDateTime);

    // metav1.Time travels with second precision: conditions made now compare equal once written and read back.
    private static DateTime TruncateToSeconds(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    /// <summary>
    /// getReplicaSetsForDeployment (the ReplicaSet controller ref manager's ClaimReplicaSets): owned ReplicaSets that
    /// match stay, owned ones that stopped matching are released, matching orphans are adopted (not while the
    /// Deployment is being deleted).
    /// </summary>
    private Task<List<V1ReplicaSet>> ClaimReplicaSetsAsync(V1Deployment d, CancellationToken cancellationToken) =>
        ControllerRefManager.ClaimAsync(
            d.Metadata,
            OwnerReference(d),
            d.Spec.Selector,
            _replicaSets.Cache.List(d.Metadata.NamespaceProperty),
            adoptable: _ => true,
            releasable: _ => true,
            (rs, patch) => PatchReplicaSetAsync(rs, patch, cancellationToken));

    private Task<bool> PatchReplicaSetAsync(V1ReplicaSet rs, string patch, CancellationToken cancellationToken) =>
        ControllerRefManager.PatchAsync(() => _client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: cancellationToken));

    private static V1OwnerReference OwnerReference(V1Deployment d) => new()
    {
        ApiVersion = GroupVersion,
        Kind = Kind,
        Name = d.Metadata.Name,
        Uid = d.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>checkPausedConditions: Progressing Unknown with DeploymentPaused / DeploymentResumed, unless timed out.</summary>
    private async Task CheckPausedConditionsAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        if (!HasProgressDeadline(d))
        {
            return;
        }

        var condition = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (condition?.Reason == DeploymentConditions.TimedOutReason)
        {
            return;
        }

        var pausedExists = condition?.Reason == DeploymentConditions.PausedDeployReason;
        if (d.Spec.Paused == true && !pausedExists)
        {
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.PausedDeployReason, "Deployment is paused", Now()));
        }
        else if (d.Spec.Paused != true && pausedExists)
        {
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.ResumedDeployReason, "Deployment is resumed", Now()));
        }
        else
        {
            return;
        }

        await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>isScalingEvent: an active ReplicaSet was sized for another spec.replicas (its desired-replicas annotation).</summary>
    private async Task<bool> IsScalingEventAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, false, cancellationToken).ConfigureAwait(false);
        return Active([.. oldRss, newRs]).Any(rs => IntAnnotation(rs, DesiredReplicasAnnotation) is { } desired && desired != Replicas(d));
    }

    /// <summary>sync: scaling without rolling out (paused, or spec.replicas changed); a paused one is also cleaned up.</summary>
    private async Task ScaleOnlyAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, false, cancellationToken).ConfigureAwait(false);
        await ScaleAsync(d, newRs, oldRss, cancellationToken).ConfigureAwait(false);
        if (d.Spec.Paused == true)
        {
            await CleanupDeploymentAsync(oldRss, d, cancellationToken).ConfigureAwait(false);
        }

        await SyncDeploymentStatusAsync([.. oldRss, newRs], newRs, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked and missing) and all old ones.</summary>
    private async Task<(V1ReplicaSet? NewRs, List<V1ReplicaSet> OldRss)> GetAllReplicaSetsAndSyncRevisionAsync(V1Deployment d, List<V1ReplicaSet> rsList, bool create, CancellationToken cancellationToken)
    {
        var oldRss = FindOldReplicaSets(d, rsList);
        var newRs = await GetNewReplicaSetAsync(d, rsList, oldRss, create, cancellationToken).ConfigureAwait(false);
        return (newRs, oldRss);
    }

    /// <summary>
    /// getNewReplicaSet: the ReplicaSet of the current template, its annotations and minReadySeconds brought up to
    /// date and the Deployment's revision synced to it; or, when asked, a new one (a name taken by a ReplicaSet of
    /// another template is a hash collision: collisionCount goes up and the next sync hashes again).
    /// </summary>
    private async Task<V1ReplicaSet?> GetNewReplicaSetAsync(V1Deployment d, List<V1ReplicaSet> rsList, List<V1ReplicaSet> oldRss, bool create, CancellationToken cancellationToken)
    {
        var existing = FindNewReplicaSet(d, rsList);
        var newRevision = (MaxRevision(oldRss) + 1).ToString(CultureInfo.InvariantCulture);
        if (existing is not null)
        {
            var copy = Clone(existing);
            var annotationsUpdated = SetNewReplicaSetAnnotations(d, copy, newRevision, exists: true);
            if (annotationsUpdated || (copy.Spec.MinReadySeconds ?? 0) != (d.Spec.MinReadySeconds ?? 0))
            {
                copy.Spec.MinReadySeconds = d.Spec.MinReadySeconds;
                var updated = await _client.AppsV1.ReplaceNamespacedReplicaSetAsync(copy, copy.Metadata.Name, copy.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);

                // Later steps of this sync start from the list again: they see what was written, not a stale copy
                // whose resourceVersion would make the next write conflict.
                rsList[rsList.IndexOf(existing)] = updated;
                return updated;
            }

            var needsUpdate = SetDeploymentRevision(d, (copy.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var revision) == true ? revision : null));
            if (HasProgressDeadline(d) && DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing) is null)
            {
                DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.FoundNewRsReason, $"Found new replica set \"{copy.Metadata.Name}\"", Now()));
                needsUpdate = true;
            }

            if (needsUpdate)
            {
                await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
            }

            return copy;
        }

        if (!create)
        {
            return null;
        }

        var template = Clone(d.Spec.Template);
        var hash = PodTemplateHash.Compute(template, d.Status.CollisionCount);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [PodTemplateHashLabel] = hash };
        var selector = Clone(d.Spec.Selector);
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [PodTemplateHashLabel] = hash };
        var rs = new V1ReplicaSet
        {
            ApiVersion = GroupVersion,
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{d.Metadata.Name}-{hash}",
                NamespaceProperty = d.Metadata.NamespaceProperty,
                OwnerReferences = [OwnerReference(d)],
                Labels = new Dictionary<string, string>(template.Metadata.Labels, StringComparer.Ordinal),
            },
            Spec = new V1ReplicaSetSpec { Replicas = 0, MinReadySeconds = d.Spec.MinReadySeconds, Selector = selector, Template = template },
        };
        var replicas = NewRsNewReplicas(d, [.. oldRss, rs], rs);
        rs.Spec.Replicas = replicas;
        SetNewReplicaSetAnnotations(d, rs, newRevision, exists: false);

        V1ReplicaSet created;
        var alreadyExists = false;
        try
        {
            created = await _client.AppsV1.CreateNamespacedReplicaSetAsync(rs, d.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            alreadyExists = true;
            var found = _replicaSets.Cache.Get(rs.Metadata.NamespaceProperty, rs.Metadata.Name)
                ?? throw new InvalidOperationException($"replica set {rs.Metadata.Name} exists but is not in the cache yet", ex);
            if (ControllerOf(found.Metadata)?.Uid == d.Metadata.Uid && EqualIgnoreHash(d.Spec.Template, found.Spec.Template))
            {
                created = found;
            }
            else
            {
                // A ReplicaSet of another template has the name: hash again with the next collisionCount.
                d.Status.CollisionCount = (d.Status.CollisionCount ?? 0) + 1;
                await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
                Logger.LogInformation("hash collision for deployment {Deployment}: collisionCount now {Count}", KeyOf(d), d.Status.CollisionCount);
                throw;
            }
        }
        catch (HttpOperationException ex) when (!IsNamespaceTerminating(ex))
        {
            var message = $"Failed to create new replica set \"{rs.Metadata.Name}\": {ApiErrors.Message(ex)}";
            if (HasProgressDeadline(d))
            {
                DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "False", DeploymentConditions.FailedRsCreateReason, message, Now()));
                await TryUpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
            }

            _events.Event(d, "Warning", DeploymentConditions.FailedRsCreateReason, message);
            throw;
        }

        if (!alreadyExists && replicas > 0)
        {
            _events.Event(d, "Normal", "ScalingReplicaSet", $"Scaled up replica set {created.Metadata.Name} from 0 to {replicas}");
        }

        var update = SetDeploymentRevision(d, newRevision);
        if (!alreadyExists && HasProgressDeadline(d))
        {
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.NewRsReason, $"Created new replica set \"{created.Metadata.Name}\"", Now()));
            update = true;
        }

        if (update)
        {
            await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
        }

        return created;
    }

    private static bool IsNamespaceTerminating(HttpOperationException ex) =>
        ex.Response.Content?.Contains("NamespaceTerminating", StringComparison.Ordinal) == true;

    /// <summary>rolloutRolling: scale the new ReplicaSet up if possible, else the old ones down, then report.</summary>
    private async Task<SyncResult> RolloutRollingAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, true, cancellationToken).ConfigureAwait(false);
        var newOne = newRs!;
        List<V1ReplicaSet> allRss = [.. oldRss, newOne];

        var (scaledUp, updatedNew) = await ReconcileNewReplicaSetAsync(allRss, newOne, d, cancellationToken).ConfigureAwait(false);
        newOne = updatedNew;
        allRss = [.. oldRss, newOne];
        if (scaledUp)
        {
            return await SyncRolloutStatusAsync(allRss, newOne, d, cancellationToken).ConfigureAwait(false);
        }

        if (await ReconcileOldReplicaSetsAsync(allRss, Active(oldRss), newOne, d, cancellationToken).ConfigureAwait(false))
        {
            return await SyncRolloutStatusAsync(allRss, newOne, d, cancellationToken).ConfigureAwait(false);
        }

        if (DeploymentComplete(d, d.Status))
        {
            await CleanupDeploymentAsync(oldRss, d, cancellationToken).ConfigureAwait(false);
        }

        return await SyncRolloutStatusAsync(allRss, newOne, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>reconcileNewReplicaSet: down to spec.replicas if above, else up as far as NewRSNewReplicas allows.</summary>
    private async Task<(bool Scaled, V1ReplicaSet Rs)> ReconcileNewReplicaSetAsync(List<V1ReplicaSet> allRss, V1ReplicaSet newRs, V1Deployment d, CancellationToken cancellationToken)
    {
        if (Replicas(newRs) == Replicas(d))
        {
            return (false, newRs);
        }

        var target = Replicas(newRs) > Replicas(d) ? Replicas(d) : NewRsNewReplicas(d, allRss, newRs);
        return await ScaleReplicaSetAndRecordEventAsync(newRs, target, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// reconcileOldReplicaSets: scale old ReplicaSets down by as much as keeps spec.replicas - maxUnavailable pods
    /// available, unhealthy replicas first (they would otherwise block the rollout).
    /// </summary>
    private async Task<bool> ReconcileOldReplicaSetsAsync(List<V1ReplicaSet> allRss, List<V1ReplicaSet> oldRss, V1ReplicaSet newRs, V1Deployment d, CancellationToken cancellationToken)
    {
        if (ReplicaCount(oldRss) == 0)
        {
            return false;
        }

        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var newRsUnavailable = Replicas(newRs) - (newRs.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = ReplicaCount(allRss) - minAvailable - newRsUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }

        var (cleaned, cleanupCount) = await CleanupUnhealthyReplicasAsync(oldRss, d, maxScaledDown, cancellationToken).ConfigureAwait(false);
        var scaledDown = await ScaleDownOldReplicaSetsForRollingUpdateAsync([.. cleaned, newRs], cleaned, d, cancellationToken).ConfigureAwait(false);
        return cleanupCount + scaledDown > 0;
    }

    /// <summary>cleanupUnhealthyReplicas: oldest first, remove replicas that are not available, up to the budget.</summary>
    private async Task<(List<V1ReplicaSet> OldRss, int ScaledDown)> CleanupUnhealthyReplicasAsync(List<V1ReplicaSet> oldRss, V1Deployment d, int maxCleanup, CancellationToken cancellationToken)
    {
        var sorted = oldRss.Order(ByCreation.Instance).ToList();
        var total = 0;
        for (var i = 0; i < sorted.Count && total < maxCleanup; i++)
        {
            var rs = sorted[i];
            var unavailable = Replicas(rs) - (rs.Status?.AvailableReplicas ?? 0);
            if (Replicas(rs) == 0 || unavailable <= 0)
            {
                continue;
            }

            var count = Math.Min(maxCleanup - total, unavailable);
            var (_, updated) = await ScaleReplicaSetAndRecordEventAsync(rs, Replicas(rs) - count, d, cancellationToken).ConfigureAwait(false);
            total += count;
            sorted[i] = updated;
        }

        return (sorted, total);
    }

    /// <summary>scaleDownOldReplicaSetsForRollingUpdate: oldest first, only what exceeds the minimum available.</summary>
    private async Task<int> ScaleDownOldReplicaSetsForRollingUpdateAsync(List<V1ReplicaSet> allRss, List<V1ReplicaSet> oldRss, V1Deployment d, CancellationToken cancellationToken)
    {
        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var available = AvailableReplicaCount(allRss);
        if (available <= minAvailable)
        {
            return 0;
        }

        var total = 0;
        var budget = available - minAvailable;
        foreach (var rs in oldRss.Order(ByCreation.Instance))
        {
            if (total >= budget)
            {
                break;
            }

            if (Replicas(rs) == 0)
            {
                continue;
            }

            var count = Math.Min(Replicas(rs), budget - total);
            await ScaleReplicaSetAndRecordEventAsync(rs, Replicas(rs) - count, d, cancellationToken).ConfigureAwait(false);
            total += count;
        }

        return total;
    }

    /// <summary>
    /// rolloutRecreate: every old ReplicaSet to zero, wait until none of their pods is left (the pod informer's
    /// deletions requeue the Deployment), only then create or scale up the new one.
    /// </summary>
    private async Task<SyncResult> RolloutRecreateAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, false, cancellationToken).ConfigureAwait(false);
        var scaledDown = false;
        for (var i = 0; i < oldRss.Count; i++)
        {
            if (Replicas(oldRss[i]) == 0)
            {
                continue;
            }

            var (scaled, updated) = await ScaleReplicaSetAndRecordEventAsync(oldRss[i], 0, d, cancellationToken).ConfigureAwait(false);
            oldRss[i] = updated;
            scaledDown |= scaled;
        }

        if (scaledDown || OldPodsRunning(newRs, oldRss))
        {
            return await SyncRolloutStatusAsync([.. oldRss, newRs], newRs, d, cancellationToken).ConfigureAwait(false);
        }

        if (newRs is null)
        {
            (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, true, cancellationToken).ConfigureAwait(false);
        }

        (_, newRs) = await ScaleReplicaSetAndRecordEventAsync(newRs!, Replicas(d), d, cancellationToken).ConfigureAwait(false);
        if (DeploymentComplete(d, d.Status))
        {
            await CleanupDeploymentAsync(oldRss, d, cancellationToken).ConfigureAwait(false);
        }

        return await SyncRolloutStatusAsync([.. oldRss, newRs], newRs, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>oldPodsRunning: old ReplicaSets still report pods, or any of their pods is not finished.</summary>
    private bool OldPodsRunning(V1ReplicaSet? newRs, List<V1ReplicaSet> oldRss)
    {
        if (ActualReplicaCount(oldRss) > 0)
        {
            return true;
        }

        return oldRss.Where(rs => rs.Metadata.Uid != newRs?.Metadata.Uid).Any(rs => _pods.Cache.ByIndex(Indexers.OwnerUidIndex, rs.Metadata.Uid)
            .Any(pod => ControllerOf(pod.Metadata)?.Uid == rs.Metadata.Uid && pod.Status?.Phase is not ("Succeeded" or "Failed")));
    }

    /// <summary>
    /// scale: with one active ReplicaSet (or none) it takes spec.replicas; a saturated new one leaves the old ones
    /// at zero; otherwise (rolling update) the change is shared among the active ones in proportion to their size,
    /// larger first (newer first when scaling up, older first when scaling down), leftovers to the first.
    /// </summary>
    private async Task ScaleAsync(V1Deployment d, V1ReplicaSet? newRs, List<V1ReplicaSet> oldRss, CancellationToken cancellationToken)
    {
        if (FindActiveOrLatest(newRs, oldRss) is { } only)
        {
            if (Replicas(only) != Replicas(d))
            {
                await ScaleReplicaSetAndRecordEventAsync(only, Replicas(d), d, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (IsSaturated(d, newRs))
        {
            foreach (var old in Active(oldRss))
            {
                await ScaleReplicaSetAndRecordEventAsync(old, 0, d, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (!IsRollingUpdate(d))
        {
            return;
        }

        foreach (var (rs, size, operation) in ProportionalSizes(d, Active([.. oldRss, newRs])))
        {
            await ScaleReplicaSetAsync(rs, size, d, operation, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The sizes scale's proportional branch gives each active ReplicaSet, in the order it writes them.</summary>
    internal static List<(V1ReplicaSet Rs, int Size, string Operation)> ProportionalSizes(V1Deployment d, List<V1ReplicaSet> active)
    {
        var allowed = Replicas(d) > 0 ? Replicas(d) + MaxSurge(d) : 0;
        var toAdd = allowed - ReplicaCount(active);
        var operation = "";
        if (toAdd > 0)
        {
            // ReplicaSetsBySizeNewer: larger first, then newer first.
            active = [.. active.OrderByDescending(Replicas).ThenByDescending(rs => rs, ByCreation.Instance)];
            operation = "up";
        }
        else if (toAdd < 0)
        {
            // ReplicaSetsBySizeOlder: larger first, then older first.
            active = [.. active.OrderByDescending(Replicas).ThenBy(rs => rs, ByCreation.Instance)];
            operation = "down";
        }

        var added = 0;
        var sizes = new int[active.Count];
        for (var i = 0; i < active.Count; i++)
        {
            var proportion = toAdd != 0 ? GetProportion(active[i], d, toAdd, added) : 0;
            sizes[i] = Replicas(active[i]) + proportion;
            added += proportion;
        }

        if (active.Count > 0 && toAdd != 0)
        {
            sizes[0] = Math.Max(0, sizes[0] + toAdd - added);
        }

        return [.. active.Select((rs, i) => (rs, sizes[i], operation))];
    }

    private async Task<(bool Scaled, V1ReplicaSet Rs)> ScaleReplicaSetAndRecordEventAsync(V1ReplicaSet rs, int newScale, V1Deployment d, CancellationToken cancellationToken)
    {
        if (Replicas(rs) == newScale)
        {
            return (false, rs);
        }

        return await ScaleReplicaSetAsync(rs, newScale, d, Replicas(rs) < newScale ? "up" : "down", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>scaleReplicaSet: writes the size and the replicas annotations together; an event when the size changed.</summary>
    private async Task<(bool Scaled, V1ReplicaSet Rs)> ScaleReplicaSetAsync(V1ReplicaSet rs, int newScale, V1Deployment d, string operation, CancellationToken cancellationToken)
    {
        var sizeChanges = Replicas(rs) != newScale;
        var max = Replicas(d) + MaxSurge(d);
        if (!sizeChanges && !ReplicasAnnotationsNeedUpdate(rs, Replicas(d), max))
        {
            return (false, rs);
        }

        var oldScale = Replicas(rs);
        var copy = Clone(rs);
        copy.Spec.Replicas = newScale;
        SetReplicasAnnotations(copy, Replicas(d), max);
        var updated = await _client.AppsV1.ReplaceNamespacedReplicaSetAsync(copy, copy.Metadata.Name, copy.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (sizeChanges)
        {
            _events.Event(d, "Normal", "ScalingReplicaSet", $"Scaled {operation} replica set {updated.Metadata.Name} to {newScale} from {oldScale}");
        }

        return (sizeChanges, updated);
    }

    /// <summary>
    /// cleanupDeployment: beyond revisionHistoryLimit, delete the oldest revisions among old ReplicaSets that are
    /// not being deleted, only those with no replicas wanted or running and their latest spec observed.
    /// </summary>
    private async Task CleanupDeploymentAsync(List<V1ReplicaSet> oldRss, V1Deployment d, CancellationToken cancellationToken)
    {
        if (!HasRevisionHistoryLimit(d))
        {
            return;
        }

        var cleanable = oldRss.Where(rs => rs.Metadata.DeletionTimestamp is null).ToList();
        var diff = cleanable.Count - d.Spec.RevisionHistoryLimit!.Value;
        if (diff <= 0)
        {
            return;
        }

        // ReplicaSetsByRevision: revision, then creation.
        foreach (var rs in cleanable.OrderBy(Revision).ThenBy(rs => rs, ByCreation.Instance).Take(diff))
        {
            if ((rs.Status?.Replicas ?? 0) != 0 || Replicas(rs) != 0 || (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
            {
                continue;
            }

            try
            {
                await _client.AppsV1.DeleteNamespacedReplicaSetAsync(rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }

    /// <summary>calculateStatus: counts from the ReplicaSets, Available from the minimum available.</summary>
    internal static V1DeploymentStatus CalculateStatus(IReadOnlyList<V1ReplicaSet?> allRss, V1ReplicaSet? newRs, V1Deployment d, DateTime now)
    {
        var available = AvailableReplicaCount(allRss);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = ActualReplicaCount(allRss),
            UpdatedReplicas = ActualReplicaCount([newRs]),
            ReadyReplicas = ReadyReplicaCount(allRss),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, ReplicaCount(allRss) - available),
            CollisionCount = d.Status?.CollisionCount,
            Conditions = d.Status?.Conditions is { } conditions ? [.. conditions.Select(DeploymentConditions.Copy)] : null,
        };
        DeploymentConditions.Set(status, available >= Replicas(d) - MaxUnavailable(d)
            ? DeploymentConditions.New(DeploymentConditions.Available, "True", DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", now)
            : DeploymentConditions.New(DeploymentConditions.Available, "False", DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        return status;
    }

    /// <summary>syncDeploymentStatus: the calculated status, written when it differs.</summary>
    private async Task SyncDeploymentStatusAsync(IReadOnlyList<V1ReplicaSet?> allRss, V1ReplicaSet? newRs, V1Deployment d, CancellationToken cancellationToken)
    {
        var status = CalculateStatus(allRss, newRs, d, Now());
        if (!SameStatus(d.Status, status))
        {
            d.Status = status;
            await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// syncRolloutStatus: the calculated status with Progressing moved on (complete, progressing, or timed out
    /// after progressDeadlineSeconds without progress) and the ReplicaSets' ReplicaFailure copied; when nothing
    /// changed, a stuck rollout is looked at again when its deadline passes (requeueStuckDeployment).
    /// </summary>
    private async Task<SyncResult> SyncRolloutStatusAsync(IReadOnlyList<V1ReplicaSet?> allRss, V1ReplicaSet? newRs, V1Deployment d, CancellationToken cancellationToken)
    {
        var now = Now();
        var status = RolloutStatus(allRss, newRs, d, now);
        if (SameStatus(d.Status, status))
        {
            return RequeueStuckDeployment(d, status, Time.GetUtcNow().UtcDateTime) is { } after ? SyncResult.Requeue(after) : SyncResult.Done;
        }

        d.Status = status;
        await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
        return SyncResult.Done;
    }

    /// <summary>The status syncRolloutStatus writes (pure, for tests).</summary>
    internal static V1DeploymentStatus RolloutStatus(IReadOnlyList<V1ReplicaSet?> allRss, V1ReplicaSet? newRs, V1Deployment d, DateTime now)
    {
        var status = CalculateStatus(allRss, newRs, d, now);
        if (!HasProgressDeadline(d))
        {
            DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
        }

        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        var complete = status.Replicas == status.UpdatedReplicas && current?.Reason == DeploymentConditions.NewRsAvailableReason;
        if (HasProgressDeadline(d) && !complete)
        {
            if (DeploymentComplete(d, status))
            {
                var message = newRs is null ? $"Deployment \"{d.Metadata.Name}\" has successfully progressed." : $"ReplicaSet \"{newRs.Metadata.Name}\" has successfully progressed.";
                DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.NewRsAvailableReason, message, now));
            }
            else if (DeploymentProgressing(d, status))
            {
                var message = newRs is null ? $"Deployment \"{d.Metadata.Name}\" is progressing." : $"ReplicaSet \"{newRs.Metadata.Name}\" is progressing.";
                var condition = DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdatedReason, message, now);

                // Progress refreshes lastUpdateTime even with the same reason (SetDeploymentCondition alone would not).
                if (current is not null)
                {
                    if (current.Status == "True")
                    {
                        condition.LastTransitionTime = current.LastTransitionTime;
                    }

                    DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
                }

                DeploymentConditions.Set(status, condition);
            }
            else if (DeploymentTimedOut(d, status, now))
            {
                var message = newRs is null ? $"Deployment \"{d.Metadata.Name}\" has timed out progressing." : $"ReplicaSet \"{newRs.Metadata.Name}\" has timed out progressing.";
                DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Progressing, "False", DeploymentConditions.TimedOutReason, message, now));
            }
        }

        // getReplicaFailures: the new ReplicaSet's failure over the old ones'.
        var failure = (newRs?.Status?.Conditions ?? []).Where(c => c.Type == DeploymentConditions.ReplicaFailure)
            .Concat(allRss.SelectMany(rs => rs?.Status?.Conditions ?? []).Where(c => c.Type == DeploymentConditions.ReplicaFailure))
            .FirstOrDefault();
        if (failure is not null)
        {
            DeploymentConditions.Set(status, DeploymentConditions.FromReplicaSet(failure));
        }
        else
        {
            DeploymentConditions.Remove(status, DeploymentConditions.ReplicaFailure);
        }

        return status;
    }

    /// <summary>
    /// requeueStuckDeployment: a rollout neither complete nor timed out is looked at again once its Progressing
    /// condition's lastUpdateTime + progressDeadlineSeconds has passed (plus a second against clock skew).
    /// </summary>
    internal static TimeSpan? RequeueStuckDeployment(V1Deployment d, V1DeploymentStatus status, DateTime now)
    {
        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (!HasProgressDeadline(d) || current is null || DeploymentComplete(d, status) || current.Reason == DeploymentConditions.TimedOutReason)
        {
            return null;
        }

        var after = (current.LastUpdateTime ?? now).AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) - now;
        return after < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : after + TimeSpan.FromSeconds(1);
    }

    private static bool SameStatus(V1DeploymentStatus? a, V1DeploymentStatus b) =>
        KubernetesJson.Serialize(a ?? new V1DeploymentStatus()) == KubernetesJson.Serialize(b);

    /// <summary>UpdateStatus; the answer's resourceVersion is kept so a second write in the same sync does not conflict.</summary>
    private async Task UpdateStatusAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        var updated = await _client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(d, d.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        d.Metadata.ResourceVersion = updated?.Metadata?.ResourceVersion ?? d.Metadata.ResourceVersion;
    }

    private async Task TryUpdateStatusAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        try
        {
            await UpdateStatusAsync(d, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            Logger.LogDebug(ex, "updating the status of {Deployment} failed", KeyOf(d));
        }
    }

    // ReplicaSet handlers (addReplicaSet, updateReplicaSet, deleteReplicaSet): the owning Deployment, or for an orphan
    // every Deployment of its namespace whose selector matches (one may adopt it).
    private void OnReplicaSetAdded(V1ReplicaSet rs)
    {
        if (rs.Metadata.DeletionTimestamp is not null)
        {
            OnReplicaSetDeleted(rs);
            return;
        }

        if (OwnerKey(rs) is { } key)
        {
            Enqueue(key);
            return;
        }

        if (ControllerOf(rs.Metadata) is null)
        {
            EnqueueMatching(rs);
        }
    }

    private void OnReplicaSetUpdated(V1ReplicaSet old, V1ReplicaSet rs)
    {
        if (old.Metadata.ResourceVersion == rs.Metadata.ResourceVersion && old.Metadata.ResourceVersion is not null)
        {
            return;
        }

        var oldOwner = OwnerKey(old);
        var owner = OwnerKey(rs);
        if (oldOwner is not null && oldOwner != owner)
        {
            Enqueue(oldOwner);
        }

        if (owner is not null)
        {
            Enqueue(owner);
        }
        else if (ControllerOf(rs.Metadata) is null)
        {
            EnqueueMatching(rs);
        }
    }

    private void OnReplicaSetDeleted(V1ReplicaSet rs)
    {
        if (OwnerKey(rs) is { } key)
        {
            Enqueue(key);
        }
    }

    // deletePod: a Recreate rollout waits for the old pods to be gone.
    private void OnPodDeleted(V1Pod pod)
    {
        if (ControllerOf(pod.Metadata) is not { Kind: "ReplicaSet" } owner
            || _replicaSets.Cache.Get(pod.Metadata.NamespaceProperty, owner.Name) is not { } rs
            || rs.Metadata.Uid != owner.Uid
            || OwnerKey(rs) is not { } key)
        {
            return;
        }

        var (ns, name) = ObjectKey.Split(key);
        if (_deployments.Cache.Get(ns, name)?.Spec.Strategy?.Type == "Recreate")
        {
            Enqueue(key);
        }
    }

    private string? OwnerKey(V1ReplicaSet rs)
    {
        if (ControllerOf(rs.Metadata) is not { Kind: Kind } owner || !(owner.ApiVersion?.StartsWith("apps/", StringComparison.Ordinal) ?? false))
        {
            return null;
        }

        var d = _deployments.Cache.Get(rs.Metadata.NamespaceProperty, owner.Name);
        return d is not null && d.Metadata.Uid == owner.Uid ? KeyOf(d) : null;
    }

    private void EnqueueMatching(V1ReplicaSet rs)
    {
        foreach (var d in _deployments.Cache.List(rs.Metadata.NamespaceProperty))
        {
            if (LabelSelectors.Matches(d.Spec.Selector, rs.Metadata.Labels))
            {
                Enqueue(KeyOf(d));
            }
        }
    }
}
