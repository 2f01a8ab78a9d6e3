using k8s;
using k8s.Models;
using Timonel.Client.Informers;

namespace Timonel.Controllers.ReplicaSet;

/// <summary>ReplicaSets as they are: apps/v1, events from the replicaset-controller.</summary>
internal sealed class ReplicaSets : ReplicaSetSource
{
    private readonly SharedInformer<V1ReplicaSet> _informer;

    public ReplicaSets(SharedInformer<V1ReplicaSet> informer)
        : base("apps/v1", "ReplicaSet", ReplicaSetController.Component) => _informer = informer;

    public override ISharedInformer Informer => _informer;

    public override V1ReplicaSet? Get(string ns, string name) => _informer.Cache.Get(ns, name);

    public override IEnumerable<V1ReplicaSet> List(string ns) => _informer.Cache.List(ns);

    public override void AddHandlers(InformerHandlers<V1ReplicaSet> handlers) => _informer.AddHandlers(handlers);

    public override Task<V1ReplicaSet> ReadAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken) =>
        client.AppsV1.ReadNamespacedReplicaSetAsync(name, ns, cancellationToken: cancellationToken);

    public override async Task UpdateStatusAsync(IKubernetes client, V1ReplicaSet rs, V1ReplicaSetStatus status, CancellationToken cancellationToken)
    {
        var copy = CachedObject.Copy(rs);
        copy.Status = status;
        await client.AppsV1.ReplaceNamespacedReplicaSetStatusAsync(copy, rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
