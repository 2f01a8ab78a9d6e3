using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.NodeLifecycle;

/// <summary>
/// Watches node heartbeats and keeps node taints in line with node state, as kube-controller-manager's node lifecycle
/// controller does (pkg/controller/nodelifecycle/node_lifecycle_controller.go): a cordoned node gets
/// node.kubernetes.io/unschedulable:NoSchedule (TaintNodesByCondition); a node whose Lease and status have not been
/// renewed for the grace period gets its conditions set to Unknown and node.kubernetes.io/unreachable (NoSchedule and
/// NoExecute); a node reporting Ready=False gets node.kubernetes.io/not-ready (both effects too). Taints go once the
/// node is healthy again.
/// Keys are node names.
/// </summary>
public sealed class NodeLifecycleController : ControllerBase
{
    /// <summary>--node-monitor-grace-period's default (cmd/kube-controller-manager/app/options/nodelifecyclecontroller.go).</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(40);

    /// <summary>Where node agents renew their Lease, named after the node.</summary>
    public const string LeaseNamespace = "kube-node-lease";

    // Taint keys and the Unknown condition's words: k8s.io/api/core/v1/well_known_taints.go and tryUpdateNodeHealth.
    public const string UnschedulableTaint = "node.kubernetes.io/unschedulable";
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";
    public const string UnknownReason = "NodeStatusUnknown";
    public const string UnknownMessage = "Kubelet stopped posting node status.";
    private const string NeverUpdatedReason = "NodeStatusNeverUpdated";
    private const string NeverUpdatedMessage = "Kubelet never posted node status.";

    // The conditions a kubelet posts that the controller marks Unknown (upstream's nodeConditionTypes plus Ready).
    private static readonly string[] _conditionTypes = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Node> _nodes;
    private readonly SharedInformer<V1Lease> _leases;
    private readonly TimeSpan _gracePeriod;
    private readonly ConcurrentDictionary<string, NodeHealth> _health = new();

    /// <param name="leases">The Leases of kube-node-lease.</param>
    public NodeLifecycleController(IKubernetes client, SharedInformer<V1Node> nodes, SharedInformer<V1Lease> leases, TimeProvider time, ILogger<NodeLifecycleController> logger, TimeSpan? gracePeriod = null)
        : base(logger, time, [nodes, leases])
    {
        _client = client;
        _nodes = nodes;
        _leases = leases;
        _gracePeriod = gracePeriod ?? DefaultGracePeriod;
        nodes.AddHandlers(new(OnAdd: n => Enqueue(n.Metadata.Name), OnUpdate: (_, n) => Enqueue(n.Metadata.Name), OnDelete: n => Enqueue(n.Metadata.Name)));
        leases.AddHandlers(new(OnAdd: l => Enqueue(l.Metadata.Name), OnUpdate: (_, l) => Enqueue(l.Metadata.Name)));
    }

    /// <summary>
    /// Marks the node Unknown once its heartbeats stop for the grace period, then sets the taints its state calls for;
    /// requeues itself for the moment the grace period would run out.
    /// </summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (_nodes.Cache.Get(null, key) is not { } cached)
        {
            _health.TryRemove(key, out _);
            return SyncResult.Done;
        }

        var now = Time.GetUtcNow();
        var health = Observe(cached, now);
        var node = cached;
        var remaining = health.ProbeTimestamp + _gracePeriod - now;
        if (remaining <= TimeSpan.Zero && MarkedUnknown(node, now.UtcDateTime) is { } unknown)
        {
            Logger.LogInformation("node {Node} has not renewed its Lease or status for {Grace}: its conditions are now Unknown", key, _gracePeriod);
            node = await _client.CoreV1.ReplaceNodeStatusAsync(unknown, key, cancellationToken: cancellationToken);
        }

        if (WithTaints(node, now.UtcDateTime) is { } taints)
        {
            // Only the taints, guarded by the resourceVersion they were computed from (upstream's PatchNodeTaints): a
            // whole-node PUT could undo what the node agent wrote meanwhile; a conflict retries from a fresher cache.
            var patch = new V1Node { Metadata = new V1ObjectMeta { ResourceVersion = node.Metadata.ResourceVersion }, Spec = new V1NodeSpec { Taints = taints } };
            await _client.CoreV1.PatchNodeAsync(new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), key, cancellationToken: cancellationToken);
        }

        // upstream checks every node each --node-monitor-period; here the node's own deadline brings it back.
        return remaining > TimeSpan.Zero ? SyncResult.Requeue(remaining) : SyncResult.Done;
    }

    /// <summary>
    /// tryUpdateNodeHealth's probe bookkeeping: a node seen for the first time, a new Ready heartbeat or a renewed
    /// Lease restart the grace period from now.
    /// </summary>
    private NodeHealth Observe(V1Node node, DateTimeOffset now)
    {
        var heartbeat = Ready(node)?.LastHeartbeatTime;
        var renewed = _leases.Cache.Get(LeaseNamespace, node.Metadata.Name)?.Spec?.RenewTime;
        return _health.AddOrUpdate(
            node.Metadata.Name,
            _ => new NodeHealth(heartbeat, renewed, now),
            (_, seen) => seen.ReadyHeartbeat != heartbeat || (renewed is not null && (seen.LeaseRenewTime is null || renewed > seen.LeaseRenewTime))
                ? new NodeHealth(heartbeat, renewed ?? seen.LeaseRenewTime, now)
                : seen);
    }

    /// <summary>A copy of the node with its kubelet conditions Unknown, or null if they all already are.</summary>
    private static V1Node? MarkedUnknown(V1Node node, DateTime now)
    {
        var conditions = node.Status?.Conditions?.Select(Clone).ToList() ?? [];
        var changed = false;
        if (!conditions.Any(c => c.Type == "Ready"))
        {
            conditions.Add(new V1NodeCondition { Type = "Ready", Status = "Unknown", Reason = NeverUpdatedReason, Message = NeverUpdatedMessage, LastHeartbeatTime = node.Metadata.CreationTimestamp, LastTransitionTime = now });
            changed = true;
        }

        foreach (var condition in conditions.Where(c => _conditionTypes.Contains(c.Type) && c.Status != "Unknown"))
        {
            // The heartbeat stays the kubelet's last: it tells when the node was last heard of.
            condition.Status = "Unknown";
            condition.Reason = UnknownReason;
            condition.Message = UnknownMessage;
            condition.LastTransitionTime = now;
            changed = true;
        }

        if (!changed)
        {
            return null;
        }

        var copy = KubernetesJson.Deserialize<V1Node>(KubernetesJson.Serialize(node));
        copy.Status ??= new V1NodeStatus();
        copy.Status.Conditions = conditions;
        return copy;
    }

    /// <summary>
    /// The node's taints as its state calls for them (doNoScheduleTaintingPass: unschedulable, and not-ready or
    /// unreachable with NoSchedule for Ready False or Unknown, so that no new pod lands there whatever it tolerates of
    /// NoExecute; doNoExecuteTaintingPass: the same keys with NoExecute), or null when it has them already.
    /// </summary>
    private static List<V1Taint>? WithTaints(V1Node node, DateTime now)
    {
        var ready = Ready(node)?.Status;
        var wanted = new List<(string Key, string Effect)>();
        if (node.Spec?.Unschedulable == true)
        {
            wanted.Add((UnschedulableTaint, "NoSchedule"));
        }

        if (ready is "False" or "Unknown")
        {
            var key = ready == "False" ? NotReadyTaint : UnreachableTaint;
            wanted.Add((key, "NoSchedule"));
            wanted.Add((key, "NoExecute"));
        }

        var current = node.Spec?.Taints ?? [];
        string[] managed = [UnschedulableTaint, UnreachableTaint, NotReadyTaint];
        var kept = current.Where(t => !managed.Contains(t.Key) || wanted.Contains((t.Key, t.Effect))).ToList();
        var added = wanted.Where(w => !kept.Any(t => t.Key == w.Key && t.Effect == w.Effect))
            .Select(w => new V1Taint { Key = w.Key, Effect = w.Effect, TimeAdded = w.Effect == "NoExecute" ? now : null })
            .ToList();
        if (added.Count == 0 && kept.Count == current.Count)
        {
            return null;
        }

        return [.. kept, .. added];
    }

    private static V1NodeCondition? Ready(V1Node node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    private static V1NodeCondition Clone(V1NodeCondition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        Reason = c.Reason,
        Message = c.Message,
        LastHeartbeatTime = c.LastHeartbeatTime,
        LastTransitionTime = c.LastTransitionTime,
    };
}
