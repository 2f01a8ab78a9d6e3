using k8s.Models;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Disruption;

/// <summary>
/// The scale of the controllers of a budget's pods (upstream's getExpectedScale and its finders in
/// pkg/controller/disruption/disruption.go): each pod's controller is looked up as a ReplicationController, as a
/// ReplicaSet owned by a Deployment (whose spec.replicas counts), as a ReplicaSet owned by no Deployment, then as a
/// StatefulSet; each controller counts once. Upstream's last resort, any kind's scale subresource, is not read.
/// </summary>
internal sealed class PodControllerScales
{
    private readonly SharedInformer<V1ReplicaSet> _replicaSets;
    private readonly SharedInformer<V1ReplicationController> _replicationControllers;
    private readonly SharedInformer<V1Deployment> _deployments;
    private readonly SharedInformer<V1StatefulSet> _statefulSets;

    public PodControllerScales(
        SharedInformer<V1ReplicaSet> replicaSets,
        SharedInformer<V1ReplicationController> replicationControllers,
        SharedInformer<V1Deployment> deployments,
        SharedInformer<V1StatefulSet> statefulSets)
    {
        _replicaSets = replicaSets;
        _replicationControllers = replicationControllers;
        _deployments = deployments;
        _statefulSets = statefulSets;
    }

    /// <summary>
    /// The sum of spec.replicas over the controllers of <paramref name="pods"/>, and the names of the pods without a
    /// controller (left out). Throws when a pod's controller is none of the kinds known, or is not found.
    /// </summary>
    public (int Expected, List<string> Unmanaged) ExpectedScale(IEnumerable<V1Pod> pods)
    {
        var scales = new Dictionary<string, int>(StringComparer.Ordinal);
        var unmanaged = new List<string>();
        foreach (var pod in pods)
        {
            var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
            if (owner is null)
            {
                unmanaged.Add(pod.Metadata.Name);
                continue;
            }

            if (scales.ContainsKey(owner.Uid))
            {
                continue;
            }

            var found = ReplicationController(owner, pod.Metadata.NamespaceProperty)
                ?? Deployment(owner, pod.Metadata.NamespaceProperty)
                ?? ReplicaSet(owner, pod.Metadata.NamespaceProperty)
                ?? StatefulSet(owner, pod.Metadata.NamespaceProperty)
                ?? throw new InvalidOperationException($"found no controllers for pod \"{pod.Metadata.Name}\"");
            scales[found.Uid] = found.Scale;
        }

        return (scales.Values.Sum(), unmanaged);
    }

    // verifyGroupKind: the kind, and the group of the reference's apiVersion among those given.
    private static bool Is(V1OwnerReference owner, string kind, params string[] groups)
    {
        var slash = owner.ApiVersion?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var group = slash < 0 ? "" : owner.ApiVersion![..slash];
        return owner.Kind == kind && groups.Contains(group);
    }

    private (string Uid, int Scale)? ReplicationController(V1OwnerReference owner, string ns) =>
        Is(owner, "ReplicationController", "") && _replicationControllers.Cache.Get(ns, owner.Name) is { } rc && rc.Metadata.Uid == owner.Uid
            ? (rc.Metadata.Uid, rc.Spec.Replicas ?? 1)
            : null;

    private (string Uid, int Scale)? Deployment(V1OwnerReference owner, string ns)
    {
        if (OwnedReplicaSet(owner, ns) is not { } rs
            || rs.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is not { } rsOwner
            || !Is(rsOwner, "Deployment", "apps", "extensions"))
        {
            return null;
        }

        return _deployments.Cache.Get(ns, rsOwner.Name) is { } deployment && deployment.Metadata.Uid == rsOwner.Uid
            ? (deployment.Metadata.Uid, deployment.Spec.Replicas ?? 1)
            : null;
    }

    // A ReplicaSet a Deployment controls counts through its Deployment only.
    private (string Uid, int Scale)? ReplicaSet(V1OwnerReference owner, string ns) =>
        OwnedReplicaSet(owner, ns) is { } rs && rs.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Kind != "Deployment"
            ? (rs.Metadata.Uid, rs.Spec.Replicas ?? 1)
            : null;

    private V1ReplicaSet? OwnedReplicaSet(V1OwnerReference owner, string ns) =>
        Is(owner, "ReplicaSet", "apps", "extensions") && _replicaSets.Cache.Get(ns, owner.Name) is { } rs && rs.Metadata.Uid == owner.Uid ? rs : null;

    private (string Uid, int Scale)? StatefulSet(V1OwnerReference owner, string ns) =>
        Is(owner, "StatefulSet", "apps") && _statefulSets.Cache.Get(ns, owner.Name) is { } ss && ss.Metadata.Uid == owner.Uid
            ? (ss.Metadata.Uid, ss.Spec.Replicas ?? 1)
            : null;
}
