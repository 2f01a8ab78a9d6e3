namespace Timonel.Controllers.GarbageCollector;

/// <summary>
/// A cluster-scoped object names a namespaced owner: invalid, and no retry will make it valid, so the item is dropped
/// (upstream's namespacedOwnerOfClusterScopedObjectErr).
/// </summary>
internal sealed class NamespacedOwnerOfClusterScopedObjectException(ObjectIdentity item, string owner)
    : Exception($"cluster-scoped {item} refers to a namespaced owner {owner}");
