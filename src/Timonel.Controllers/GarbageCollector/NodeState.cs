using k8s.Models;

namespace Timonel.Controllers.GarbageCollector;

/// <summary>A copy of a graph node taken under the graph's lock, which a worker reads while the graph moves on.</summary>
/// <param name="Dependents">The dependents' identities, each with whether it is itself deleting its dependents.</param>
/// <param name="BlockingDependents">Dependents whose reference to this node has blockOwnerDeletion.</param>
internal sealed record NodeState(
    ObjectIdentity Identity,
    bool IsVirtual,
    bool BeingDeleted,
    bool DeletingDependents,
    IReadOnlyList<V1OwnerReference> Owners,
    IReadOnlyList<(ObjectIdentity Identity, bool DeletingDependents)> Dependents,
    IReadOnlyList<(ObjectIdentity Identity, bool DeletingDependents)> BlockingDependents);
