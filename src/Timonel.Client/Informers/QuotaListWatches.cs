using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>
/// What the resource quota controller watches: ResourceQuotas, and the objects whose deletion frees quota (upstream's
/// replenishment informers). Of those only the deletion matters, so configmaps, secrets, claims and replication
/// controllers are watched as metadata alone; pods and services come from the typed informers other controllers share.
/// </summary>
public static class QuotaListWatches
{
    public static ListWatch<V1ResourceQuota> ResourceQuotas(IKubernetes client) => CoreListWatches.Of<V1ResourceQuota, V1ResourceQuotaList>(
        "resourcequotas",
        (_, cancellationToken) => client.CoreV1.ListResourceQuotaForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListResourceQuotaForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    /// <summary>The core kinds counted by quota whose deletions are watched as metadata only.</summary>
    public static IReadOnlyList<ListWatch<PartialObjectMetadata>> Replenishing(Kubernetes client) =>
        [.. new[] { "configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers" }.Select(resource => MetadataListWatches.For(client, "v1", resource))];
}
