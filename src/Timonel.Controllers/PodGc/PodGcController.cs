using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.PodGc;

/// <summary>
/// kube-controller-manager's pod garbage collector (pkg/controller/podgc/gc_controller.go). gcOrphaned: a pod bound
/// to a node missing from the cache waits out a quarantine (the node may just not have reached the cache yet), then,
/// if the API server confirms the node is gone, is marked Failed with a DisruptionTarget condition and deleted at once
/// (grace period 0: no kubelet is left to stop it). gcTerminating: a terminating pod on a node that is not Ready and
/// carries the node.kubernetes.io/out-of-service taint is marked Failed and force-deleted; gcUnscheduledTerminating:
/// so is a terminating pod never bound to a node. Keys are namespace/name of pods, and <see cref="TerminatedPodsKey"/>
/// for gcTerminated: beyond the threshold of terminated (Succeeded or Failed) pods, the oldest are deleted.
/// </summary>
public sealed class PodGcController : ControllerBase
{
    /// <summary>upstream's quarantineTime: how long a pod's node must be missing before the API server is asked.</summary>
    public static readonly TimeSpan QuarantineTime = TimeSpan.FromSeconds(40);

    // The condition's words: pkg/controller/podgc/gc_controller.go (markFailedAndDeletePodWithCondition callers).
    public const string DisruptionReason = "DeletionByPodGC";
    public const string OrphanMessage = "PodGC: node no longer exists";

    /// <summary>kube-controller-manager's --terminated-pod-gc-threshold default (pkg/controller/podgc/config/v1alpha1/defaults.go).</summary>
    public const int DefaultTerminatedPodThreshold = 12500;

    /// <summary>The key of the gcTerminated pass (a pod's key always has a slash, this one none).</summary>
    public const string TerminatedPodsKey = "terminated-pods";

    /// <summary>v1.TaintNodeOutOfService: an administrator's word that the node is down for good.</summary>
    public const string OutOfServiceTaint = "node.kubernetes.io/out-of-service";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly SharedInformer<V1Node> _nodes;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _missingSince = new();
    private readonly int _terminatedPodThreshold;

    /// <param name="terminatedPodThreshold">How many terminated pods may exist before the oldest are deleted; 0 or less: never.</param>
    public PodGcController(IKubernetes client, SharedInformer<V1Pod> pods, SharedInformer<V1Node> nodes, TimeProvider time, ILogger<PodGcController> logger, int terminatedPodThreshold = DefaultTerminatedPodThreshold)
        : base(logger, time, [pods, nodes])
    {
        _client = client;
        _pods = pods;
        _nodes = nodes;
        _terminatedPodThreshold = terminatedPodThreshold;
        pods.AddIndexer(Indexers.PodNodeNameIndex, Indexers.PodNodeName);
        pods.AddHandlers(new(OnAdd: OnPod, OnUpdate: (_, p) => OnPod(p)));
        nodes.AddHandlers(new(
            OnAdd: EnqueueTerminatingIfOutOfService,
            OnUpdate: (_, node) => EnqueueTerminatingIfOutOfService(node),
            OnDelete: node =>
            {
                foreach (var pod in _pods.Cache.ByIndex(Indexers.PodNodeNameIndex, node.Metadata.Name))
                {
                    Enqueue(Key(pod));
                }
            }));
    }

    /// <summary>
    /// gcTerminated for <see cref="TerminatedPodsKey"/>. For a pod: a terminating one unbound or on an out-of-service
    /// node is force-deleted; nothing for a pod that is gone, unbound or on a known node; the quarantine, the API check
    /// and the delete for one whose node is missing.
    /// </summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (key == TerminatedPodsKey)
        {
            await GcTerminatedAsync(cancellationToken);
            return SyncResult.Done;
        }

        var (ns, name) = Split(key);
        if (_pods.Cache.Get(ns, name) is { Metadata.DeletionTimestamp: not null } terminating && TerminatingToCollect(terminating) is { } why)
        {
            Logger.LogInformation("force deleting terminating pod {Pod}: {Reason}", key, why);
            await MarkFailedAndDeleteAsync(terminating, null, cancellationToken);
            return SyncResult.Done;
        }

        if (_pods.Cache.Get(ns, name) is not { Spec.NodeName: { Length: > 0 } nodeName } pod || _nodes.Cache.Get(null, nodeName) is not null)
        {
            _missingSince.TryRemove(key, out _);
            return SyncResult.Done;
        }

        var now = Time.GetUtcNow();
        var since = _missingSince.GetOrAdd(key, now);
        if (since + QuarantineTime - now is { Ticks: > 0 } wait)
        {
            return SyncResult.Requeue(wait);
        }

        try
        {
            await _client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken);
            // The cache lags behind the API server: the node exists, and its add will be seen.
            _missingSince.TryRemove(key, out _);
            return SyncResult.Done;
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        Logger.LogInformation("deleting pod {Pod}: its node {Node} no longer exists", key, nodeName);
        var condition = new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = DisruptionReason, Message = OrphanMessage, LastTransitionTime = now.UtcDateTime };
        await MarkFailedAndDeleteAsync(pod, condition, cancellationToken);
        _missingSince.TryRemove(key, out _);
        return SyncResult.Done;
    }

    /// <summary>isPodTerminated, read as the phases a pod ends in (the API server always sets one).</summary>
    private static bool IsTerminated(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>
    /// byEvictionAndCreationTimestamp: evicted pods first (keeping the terminated pods of controllers longer), then
    /// the oldest, the name breaking ties.
    /// </summary>
    private static IOrderedEnumerable<V1Pod> OldestFirst(IEnumerable<V1Pod> pods) => pods
        .OrderByDescending(p => p.Status?.Phase == "Failed" && p.Status.Reason == "Evicted")
        .ThenBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)
        .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal);

    /// <summary>gcTerminated: the terminated pods beyond the threshold, oldest first, are deleted.</summary>
    private async Task GcTerminatedAsync(CancellationToken cancellationToken)
    {
        // Fewer pods than the threshold, terminated or not: nothing to count.
        if (_terminatedPodThreshold <= 0 || _pods.Cache.Count <= _terminatedPodThreshold)
        {
            return;
        }

        var terminated = _pods.Cache.List().Where(IsTerminated).ToList();
        var excess = terminated.Count - _terminatedPodThreshold;
        if (excess <= 0)
        {
            return;
        }

        Logger.LogInformation("garbage collecting {Count} terminated pods beyond the threshold of {Threshold}", excess, _terminatedPodThreshold);
        await Task.WhenAll(OldestFirst(terminated).Take(excess).Select(pod => MarkFailedAndDeleteAsync(pod, null, cancellationToken)));
    }

    /// <summary>
    /// Why gcUnscheduledTerminating or gcTerminating collects a terminating pod, or null: never bound, no kubelet will
    /// ever finish it; on a node not Ready that an administrator tainted out-of-service, none will either.
    /// </summary>
    private string? TerminatingToCollect(V1Pod pod)
    {
        if (string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return "it was never scheduled";
        }

        return _nodes.Cache.Get(null, pod.Spec.NodeName) is { } node && IsOutOfService(node) ? $"its node {node.Metadata.Name} is out of service" : null;
    }

    // nodeutil.IsNodeReady and taints.TaintKeyExists (any effect).
    private static bool IsOutOfService(V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status != "True"
        && node.Spec?.Taints?.Any(t => t.Key == OutOfServiceTaint) == true;

    private static string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";

    private static (string Ns, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    // Bound pods for gcOrphaned, terminating ones for gcTerminating and gcUnscheduledTerminating, and the gcTerminated
    // pass whenever a pod has terminated.
    private void OnPod(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Metadata.DeletionTimestamp is not null)
        {
            Enqueue(Key(pod));
        }

        if (_terminatedPodThreshold > 0 && IsTerminated(pod))
        {
            Enqueue(TerminatedPodsKey);
        }
    }

    private void EnqueueTerminatingIfOutOfService(V1Node node)
    {
        if (!IsOutOfService(node))
        {
            return;
        }

        foreach (var pod in _pods.Cache.ByIndex(Indexers.PodNodeNameIndex, node.Metadata.Name))
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                Enqueue(Key(pod));
            }
        }
    }

    /// <summary>
    /// markFailedAndDeletePodWithCondition: a pod not yet terminal is marked Failed (with the condition given, so
    /// whoever owns it sees why it went), then deleted with grace period 0.
    /// </summary>
    private async Task MarkFailedAndDeleteAsync(V1Pod pod, V1PodCondition? condition, CancellationToken cancellationToken)
    {
        try
        {
            if (pod.Status?.Phase is not ("Succeeded" or "Failed"))
            {
                var patch = new V1Pod { Status = new V1PodStatus { Phase = "Failed", Conditions = condition is null ? null : [condition] } };
                await _client.CoreV1.PatchNamespacedPodStatusAsync(
                    new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            }

            await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already: what was wanted.
        }
    }
}
