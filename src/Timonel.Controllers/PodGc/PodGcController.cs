using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.PodGc;

/// <summary>
/// Deletes pods bound to a node that no longer exists, as kube-controller-manager's pod garbage collector does
/// (pkg/controller/podgc/gc_controller.go, gcOrphaned): a pod whose node is missing from the cache waits out a
/// quarantine (the node may just not have reached the cache yet), then, if the API server confirms the node is gone,
/// is marked Failed with a DisruptionTarget condition and deleted at once (grace period 0: no kubelet is left to
/// stop it). Keys are namespace/name of pods.
/// </summary>
public sealed class PodGcController : ControllerBase
{
    /// <summary>upstream's quarantineTime: how long a pod's node must be missing before the API server is asked.</summary>
    public static readonly TimeSpan QuarantineTime = TimeSpan.FromSeconds(40);

    // The condition's words: pkg/controller/podgc/gc_controller.go (markFailedAndDeletePodWithCondition callers).
    public const string DisruptionReason = "DeletionByPodGC";
    public const string OrphanMessage = "PodGC: node no longer exists";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly SharedInformer<V1Node> _nodes;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _missingSince = new();

    public PodGcController(IKubernetes client, SharedInformer<V1Pod> pods, SharedInformer<V1Node> nodes, TimeProvider time, ILogger<PodGcController> logger)
        : base(logger, time, [pods, nodes])
    {
        _client = client;
        _pods = pods;
        _nodes = nodes;
        pods.AddIndexer(Indexers.PodNodeNameIndex, Indexers.PodNodeName);
        pods.AddHandlers(new(OnAdd: EnqueueBound, OnUpdate: (_, p) => EnqueueBound(p)));
        nodes.AddHandlers(new(OnDelete: node =>
        {
            foreach (var pod in _pods.Cache.ByIndex(Indexers.PodNodeNameIndex, node.Metadata.Name))
            {
                Enqueue(Key(pod));
            }
        }));
    }

    /// <summary>Nothing for a pod that is gone, unbound or on a known node; the quarantine, the API check and the delete otherwise.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = Split(key);
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
        await MarkFailedAsync(pod, now.UtcDateTime, cancellationToken);
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        _missingSince.TryRemove(key, out _);
        return SyncResult.Done;
    }

    private static string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";

    private static (string Ns, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    private void EnqueueBound(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            Enqueue(Key(pod));
        }
    }

    /// <summary>
    /// markFailedAndDeletePodWithCondition: a pod not yet terminal is marked Failed with DisruptionTarget, so whoever
    /// owns it sees why it went.
    /// </summary>
    private async Task MarkFailedAsync(V1Pod pod, DateTime now, CancellationToken cancellationToken)
    {
        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return;
        }

        var patch = new V1Pod
        {
            Status = new V1PodStatus
            {
                Phase = "Failed",
                Conditions = [new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = DisruptionReason, Message = OrphanMessage, LastTransitionTime = now }],
            },
        };
        try
        {
            await _client.CoreV1.PatchNamespacedPodStatusAsync(
                new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
