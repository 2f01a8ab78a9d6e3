using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;
using Timonel.Client.Objects;
using Timonel.Controllers.ReplicaSet;

namespace Timonel.Controllers.Disruption;

/// <summary>
/// Keeps every PodDisruptionBudget's status current, as kube-controller-manager's disruption controller does
/// (pkg/controller/disruption/disruption.go): from the pods its selector picks in its namespace it counts the healthy
/// ones (Ready, not terminating, not recently evicted), derives the desired number from minAvailable or
/// maxUnavailable (a percentage, and maxUnavailable always, scaled by the pods' controllers' replicas), and writes
/// disruptionsAllowed and the DisruptionAllowed condition through the status subresource when anything changed. The
/// eviction endpoint takes disruptions from that status. Keys are namespace/name of budgets.
/// Not done: upstream's events (NoPods, UnmanagedPods, ...), the scale-subresource fallback for other controller
/// kinds, and the reset of stale DisruptionTarget pod conditions.
/// </summary>
public sealed class DisruptionController : ControllerBase
{
    /// <summary>
    /// Upstream's DeletionTimeout: an eviction recorded in status.disruptedPods whose pod is still not terminating
    /// after this long is taken to have failed, and the pod counts as healthy again.
    /// </summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1PodDisruptionBudget> _budgets;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly PodControllerScales _scales;

    public DisruptionController(
        IKubernetes client,
        SharedInformer<V1PodDisruptionBudget> budgets,
        SharedInformer<V1Pod> pods,
        SharedInformer<V1ReplicaSet> replicaSets,
        SharedInformer<V1ReplicationController> replicationControllers,
        SharedInformer<V1Deployment> deployments,
        SharedInformer<V1StatefulSet> statefulSets,
        TimeProvider time,
        ILogger<DisruptionController> logger)
        : base(logger, time, [budgets, pods, replicaSets, replicationControllers, deployments, statefulSets])
    {
        _client = client;
        _budgets = budgets;
        _pods = pods;
        _scales = new PodControllerScales(replicaSets, replicationControllers, deployments, statefulSets);
        budgets.AddHandlers(new(OnAdd: b => Enqueue(KeyOf(b.Metadata)), OnUpdate: (_, b) => Enqueue(KeyOf(b.Metadata)), OnDelete: b => Enqueue(KeyOf(b.Metadata))));
        pods.AddHandlers(new(
            OnAdd: p => EnqueueBudgetsOf(p.Metadata),
            OnUpdate: (old, p) =>
            {
                EnqueueBudgetsOf(old.Metadata);
                EnqueueBudgetsOf(p.Metadata);
            },
            OnDelete: p => EnqueueBudgetsOf(p.Metadata)));
        // Upstream reads controllers' scale only when a budget syncs; here a change of scale syncs the budgets of the
        // namespace that depend on it, so a scaled ReplicaSet's budget follows without waiting for a pod to change.
        AddScaleHandlers(replicaSets, rs => rs.Spec?.Replicas);
        AddScaleHandlers(replicationControllers, rc => rc.Spec?.Replicas);
        AddScaleHandlers(deployments, d => d.Spec?.Replicas);
        AddScaleHandlers(statefulSets, ss => ss.Spec?.Replicas);
    }

    /// <summary>sync and trySync: a budget gone needs nothing; a failure other than a conflict writes the fail-safe status.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_budgets.Cache.Get(ns, name) is not { } pdb)
        {
            return SyncResult.Done;
        }

        try
        {
            return await TrySyncAsync(pdb, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Failed to sync PDB {Key}", key);
            await FailSafeAsync(pdb, ex.Message, cancellationToken).ConfigureAwait(false);
            return SyncResult.Done;
        }
    }

    /// <summary>
    /// getPodsForPdb: the budget's namespace's pods its selector matches. policy/v1 reads an empty selector as
    /// every pod and a missing one as none (LabelSelectorAsSelector).
    /// </summary>
    private static bool Selects(V1PodDisruptionBudget pdb, V1ObjectMeta pod) => LabelSelectors.Matches(pdb.Spec?.Selector, pod.Labels);

    private static string KeyOf(V1ObjectMeta meta) => $"{meta.NamespaceProperty}/{meta.Name}";

    private static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    private static bool SameDisruptedPods(IDictionary<string, DateTime?>? current, Dictionary<string, DateTime> desired) =>
        (current?.Count ?? 0) == desired.Count
        && desired.All(d => current!.TryGetValue(d.Key, out var t) && t is { } at && Utc(at) == d.Value);

    private async Task<SyncResult> TrySyncAsync(V1PodDisruptionBudget pdb, CancellationToken cancellationToken)
    {
        var pods = _pods.Cache.List(pdb.Metadata.NamespaceProperty).Where(p => Selects(pdb, p.Metadata)).ToList();
        var (expected, desired) = ExpectedPodCount(pdb, pods);
        var now = Time.GetUtcNow().UtcDateTime;
        var (disrupted, recheck) = DisruptedPods(pods, pdb, now);
        var healthy = pods.Count(p => p.Metadata.DeletionTimestamp is null && !disrupted.ContainsKey(p.Metadata.Name) && BudgetStatus.IsReady(p));

        // updatePdbStatus: none allowed while no pods are expected, so a budget whose first pods appear is safe
        // before this controller has seen them.
        var allowed = expected <= 0 ? 0 : Math.Max(0, healthy - desired);
        var status = pdb.Status;
        if (status is not null
            && status.CurrentHealthy == healthy
            && status.DesiredHealthy == desired
            && status.ExpectedPods == expected
            && status.DisruptionsAllowed == allowed
            && SameDisruptedPods(status.DisruptedPods, disrupted)
            && status.ObservedGeneration == pdb.Metadata.Generation
            && BudgetStatus.ConditionsAreUpToDate(pdb))
        {
            return recheck is { } unchanged ? SyncResult.Requeue(unchanged - now) : SyncResult.Done;
        }

        var sufficient = allowed > 0;
        await WriteStatusAsync(pdb, new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            DisruptionsAllowed = allowed,
            DisruptedPods = disrupted.Count == 0 ? null : disrupted.ToDictionary(d => d.Key, d => (DateTime?)d.Value, StringComparer.Ordinal),
            ObservedGeneration = pdb.Metadata.Generation,
            Conditions = BudgetStatus.WithCondition(
                status?.Conditions,
                sufficient ? "True" : "False",
                sufficient ? BudgetStatus.SufficientPods : BudgetStatus.InsufficientPods,
                "",
                pdb.Metadata.Generation,
                now),
        }, cancellationToken).ConfigureAwait(false);

        // Look again once the earliest recorded eviction is due to have shown (upstream's recheck queue).
        return recheck is { } due ? SyncResult.Requeue(due - now) : SyncResult.Done;
    }

    /// <summary>
    /// getExpectedPodCount: maxUnavailable (an integer or a percentage) and a percentage minAvailable are read
    /// against the controllers' replicas; an integer minAvailable against the pods selected.
    /// </summary>
    private (int Expected, int Desired) ExpectedPodCount(V1PodDisruptionBudget pdb, List<V1Pod> pods)
    {
        if (pdb.Spec?.MaxUnavailable is { } maxUnavailable)
        {
            var expected = ExpectedScale(pdb, pods);
            return (expected, Math.Max(0, expected - BudgetStatus.Scaled(maxUnavailable, expected)));
        }

        if (pdb.Spec?.MinAvailable is { } minAvailable)
        {
            if (!BudgetStatus.IsPercent(minAvailable))
            {
                return (pods.Count, BudgetStatus.Scaled(minAvailable, pods.Count));
            }

            var expected = ExpectedScale(pdb, pods);
            return (expected, BudgetStatus.Scaled(minAvailable, expected));
        }

        return (0, 0);
    }

    private int ExpectedScale(V1PodDisruptionBudget pdb, List<V1Pod> pods)
    {
        var (expected, unmanaged) = _scales.ExpectedScale(pods);
        if (unmanaged.Count > 0)
        {
            // Upstream goes on without them (and reports an UnmanagedPods event) rather than failing the budget.
            Logger.LogDebug("PDB {Namespace}/{Name} selects pods without a controller: {Pods}", pdb.Metadata.NamespaceProperty, pdb.Metadata.Name, unmanaged);
        }

        return expected;
    }

    /// <summary>
    /// buildDisruptedPodMap: the evictions recorded in status.disruptedPods whose pods still exist and are not yet
    /// terminating, less those older than <see cref="DeletionTimeout"/>; and when the earliest kept one expires.
    /// </summary>
    private (Dictionary<string, DateTime> Disrupted, DateTime? Recheck) DisruptedPods(List<V1Pod> pods, V1PodDisruptionBudget pdb, DateTime now)
    {
        var result = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        DateTime? recheck = null;
        if (pdb.Status?.DisruptedPods is not { Count: > 0 } recorded)
        {
            return (result, recheck);
        }

        foreach (var pod in pods)
        {
            if (pod.Metadata.DeletionTimestamp is not null || !recorded.TryGetValue(pod.Metadata.Name, out var recordedAt) || recordedAt is not { } at)
            {
                continue;
            }

            var since = Utc(at);
            var expectedDeletion = since + DeletionTimeout;
            if (expectedDeletion < now)
            {
                Logger.LogInformation("pod {Namespace}/{Pod} was expected to be deleted but it wasn't, updating PDB {Name}", pod.Metadata.NamespaceProperty, pod.Metadata.Name, pdb.Metadata.Name);
                continue;
            }

            if (recheck is null || expectedDeletion < recheck)
            {
                recheck = expectedDeletion;
            }

            result[pod.Metadata.Name] = since;
        }

        return (result, recheck);
    }

    /// <summary>failSafe: no disruptions allowed, DisruptionAllowed False with reason SyncFailed and the error.</summary>
    private Task FailSafeAsync(V1PodDisruptionBudget pdb, string message, CancellationToken cancellationToken)
    {
        var status = pdb.Status ?? new V1PodDisruptionBudgetStatus();
        return WriteStatusAsync(pdb, new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = status.CurrentHealthy,
            DesiredHealthy = status.DesiredHealthy,
            ExpectedPods = status.ExpectedPods,
            DisruptionsAllowed = 0,
            DisruptedPods = status.DisruptedPods,
            ObservedGeneration = status.ObservedGeneration,
            Conditions = BudgetStatus.WithCondition(status.Conditions, "False", BudgetStatus.SyncFailed, message, status.ObservedGeneration, Time.GetUtcNow().UtcDateTime),
        }, cancellationToken);
    }

    // A new object over the cached metadata and spec (neither changed): the cache's objects are shared.
    private Task WriteStatusAsync(V1PodDisruptionBudget pdb, V1PodDisruptionBudgetStatus status, CancellationToken cancellationToken) =>
        _client.PolicyV1.ReplaceNamespacedPodDisruptionBudgetStatusAsync(
            new V1PodDisruptionBudget { ApiVersion = "policy/v1", Kind = "PodDisruptionBudget", Metadata = pdb.Metadata, Spec = pdb.Spec, Status = status },
            pdb.Metadata.Name,
            pdb.Metadata.NamespaceProperty,
            cancellationToken: cancellationToken);

    private void EnqueueBudgetsOf(V1ObjectMeta pod)
    {
        foreach (var pdb in _budgets.Cache.List(pod.NamespaceProperty))
        {
            if (Selects(pdb, pod))
            {
                Enqueue(KeyOf(pdb.Metadata));
            }
        }
    }

    private void EnqueueScaledBudgets(string ns)
    {
        foreach (var pdb in _budgets.Cache.List(ns))
        {
            if (pdb.Spec?.MaxUnavailable is not null || (pdb.Spec?.MinAvailable is { } min && BudgetStatus.IsPercent(min)))
            {
                Enqueue(KeyOf(pdb.Metadata));
            }
        }
    }

    private void AddScaleHandlers<T>(SharedInformer<T> informer, Func<T, int?> replicas)
        where T : class, IKubernetesObject<V1ObjectMeta> => informer.AddHandlers(new(
            OnAdd: o => EnqueueScaledBudgets(o.Metadata.NamespaceProperty),
            OnUpdate: (old, o) =>
            {
                if (replicas(old) != replicas(o))
                {
                    EnqueueScaledBudgets(o.Metadata.NamespaceProperty);
                }
            },
            OnDelete: o => EnqueueScaledBudgets(o.Metadata.NamespaceProperty)));
}
