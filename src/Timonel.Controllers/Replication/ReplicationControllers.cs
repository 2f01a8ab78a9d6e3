using k8s;
using k8s.Models;
using Timonel.Client.Informers;
using Timonel.Controllers.ReplicaSet;

namespace Timonel.Controllers.Replication;

/// <summary>
/// ReplicationControllers seen as ReplicaSets (upstream's informerAdapter and clientsetAdapter in
/// pkg/controller/replication/conversion.go): owner references and events name v1 ReplicationController, events come
/// from the replication-controller, status goes through the ReplicationController's status subresource.
/// </summary>
internal sealed class ReplicationControllers : ReplicaSetSource
{
    private readonly SharedInformer<V1ReplicationController> _informer;

    public ReplicationControllers(SharedInformer<V1ReplicationController> informer)
        : base("v1", "ReplicationController", ReplicationManager.Component) => _informer = informer;

    public override ISharedInformer Informer => _informer;

    public override V1ReplicaSet? Get(string ns, string name) =>
        _informer.Cache.Get(ns, name) is { } rc ? ReplicationControllerConversion.ToReplicaSet(rc) : null;

    public override IEnumerable<V1ReplicaSet> List(string ns) => _informer.Cache.List(ns).Select(ReplicationControllerConversion.ToReplicaSet);

    public override void AddHandlers(InformerHandlers<V1ReplicaSet> handlers) => _informer.AddHandlers(new(
        OnAdd: handlers.OnAdd is { } add ? rc => add(ReplicationControllerConversion.ToReplicaSet(rc)) : null,
        OnUpdate: handlers.OnUpdate is { } update ? (old, rc) => update(ReplicationControllerConversion.ToReplicaSet(old), ReplicationControllerConversion.ToReplicaSet(rc)) : null,
        OnDelete: handlers.OnDelete is { } delete ? rc => delete(ReplicationControllerConversion.ToReplicaSet(rc)) : null));

    public override async Task<V1ReplicaSet> ReadAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken) =>
        ReplicationControllerConversion.ToReplicaSet(await client.CoreV1.ReadNamespacedReplicationControllerAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false));

    public override async Task UpdateStatusAsync(IKubernetes client, V1ReplicaSet rs, V1ReplicaSetStatus status, CancellationToken cancellationToken)
    {
        // A new object over the cached metadata and spec: only its status differs, and nothing cached is changed.
        var rc = ReplicationControllerConversion.ToReplicationController(rs);
        rc.Status = ReplicationControllerConversion.ToReplicationControllerStatus(status);
        await client.CoreV1.ReplaceNamespacedReplicationControllerStatusAsync(rc, rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
