using k8s.Models;

namespace Timonel.Controllers.GarbageCollector;

/// <summary>
/// One object in the owner graph (upstream's node in graph.go): its owners as its latest metadata lists them, the
/// objects that list it as an owner, and what the garbage collector knows of its deletion. A virtual node stands for
/// an owner referenced but not yet observed; it is verified against the API server before anything is done about it.
/// Read and changed only under <see cref="OwnerGraph"/>'s lock.
/// </summary>
internal sealed class GraphNode
{
    public GraphNode(ObjectIdentity identity, bool isVirtual)
    {
        Identity = identity;
        IsVirtual = isVirtual;
    }

    public ObjectIdentity Identity { get; set; }

    /// <summary>Not observed through an informer yet: known only from a dependent's ownerReferences.</summary>
    public bool IsVirtual { get; set; }

    public IReadOnlyList<V1OwnerReference> Owners { get; set; } = [];

    public HashSet<GraphNode> Dependents { get; } = [];

    /// <summary>deletionTimestamp is set: a one-way trip to deletion.</summary>
    public bool BeingDeleted { get; set; }

    /// <summary>Being deleted in the foreground: waiting on its dependents (the foregroundDeletion finalizer).</summary>
    public bool DeletingDependents { get; set; }

    /// <summary>The owner reference that names <paramref name="ownerUid"/>, if this node has one.</summary>
    public V1OwnerReference? ReferenceTo(string ownerUid) => Owners.FirstOrDefault(o => o.Uid == ownerUid);

    /// <summary>Dependents whose reference to this node has blockOwnerDeletion (upstream's blockingDependents).</summary>
    public IEnumerable<GraphNode> BlockingDependents() =>
        Dependents.Where(d => d.ReferenceTo(Identity.Uid)?.BlockOwnerDeletion == true);
}
