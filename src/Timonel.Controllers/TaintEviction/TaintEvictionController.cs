using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Objects;

namespace Timonel.Controllers.TaintEviction;

/// <summary>
/// Deletes pods from nodes with NoExecute taints they do not tolerate, as kube-controller-manager's taint eviction
/// controller does (pkg/controller/tainteviction/taint_eviction.go): at once when a taint is not tolerated at all,
/// once the shortest matching tolerationSeconds has run out (counted from the taint's timeAdded) otherwise. Keys are
/// namespace/name of pods. Each eviction is reported as upstream's emitPodDeletionEvent does.
/// </summary>
public sealed class TaintEvictionController : ControllerBase
{
    /// <summary>The component events are reported by (upstream's controllerName in taint_eviction.go).</summary>
    public const string Component = "taint-eviction-controller";

    /// <summary>The eviction event's reason (emitPodDeletionEvent).</summary>
    public const string EvictionReason = "TaintManagerEviction";

    private readonly IKubernetes _client;
    private readonly IEventRecorder _events;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly SharedInformer<V1Node> _nodes;

    public TaintEvictionController(IKubernetes client, SharedInformer<V1Pod> pods, SharedInformer<V1Node> nodes, IEventRecorder events, TimeProvider time, ILogger<TaintEvictionController> logger)
        : base(logger, time, [pods, nodes])
    {
        _client = client;
        _events = events;
        _pods = pods;
        _nodes = nodes;
        pods.AddIndexer(Indexers.PodNodeNameIndex, Indexers.PodNodeName);
        pods.AddHandlers(new(OnAdd: EnqueueBound, OnUpdate: (_, p) => EnqueueBound(p)));
        nodes.AddHandlers(new(OnAdd: EnqueuePodsOf, OnUpdate: (_, n) => EnqueuePodsOf(n)));
    }

    /// <summary>processPodOnNode: delete now, requeue for when the toleration runs out, or nothing.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_pods.Cache.Get(ns, name) is not { Spec.NodeName: { Length: > 0 } nodeName } pod || pod.Metadata.DeletionTimestamp is not null
            || _nodes.Cache.Get(null, nodeName)?.Spec?.Taints?.Where(t => t.Effect == "NoExecute").ToList() is not { Count: > 0 } taints)
        {
            return SyncResult.Done;
        }

        var now = Time.GetUtcNow();
        var used = new List<V1Toleration>();
        foreach (var taint in taints)
        {
            var matching = pod.Spec.Tolerations?.Where(t => Tolerations.ToleratesTaint(t, taint)).ToList();
            if (matching is not { Count: > 0 })
            {
                used = null;
                break;
            }

            used.AddRange(matching);
        }

        // getMinTolerationTime: the shortest tolerationSeconds among the tolerations used (at most 0 means at once);
        // none set means the pod stays. The time counts from the first taint's timeAdded (upstream: when it saw it).
        var start = new DateTimeOffset(taints.Min(t => t.TimeAdded) ?? now.UtcDateTime, TimeSpan.Zero);
        DateTimeOffset? deadline = used is null
            ? now
            : used.Where(t => t.TolerationSeconds is not null).Select(t => start + TimeSpan.FromSeconds(Math.Max(0, t.TolerationSeconds!.Value))).DefaultIfEmpty().Min() is { Ticks: > 0 } due ? due : null;

        if (deadline is not { } when)
        {
            return SyncResult.Done;
        }

        if (when > now)
        {
            return SyncResult.Requeue(when - now);
        }

        Logger.LogInformation("deleting pod {Pod}: node {Node} has a NoExecute taint it does not tolerate", key, nodeName);
        // emitPodDeletionEvent.
        _events.Event(pod, "Normal", EvictionReason, $"Marking for deletion Pod {ns}/{name}");
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        return SyncResult.Done;
    }

    private void EnqueueBound(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            Enqueue($"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}");
        }
    }

    private void EnqueuePodsOf(V1Node node)
    {
        foreach (var pod in _pods.Cache.ByIndex(Indexers.PodNodeNameIndex, node.Metadata.Name))
        {
            EnqueueBound(pod);
        }
    }
}
