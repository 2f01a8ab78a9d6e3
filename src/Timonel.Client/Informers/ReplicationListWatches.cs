using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of ReplicationControllers, across all namespaces.</summary>
public static class ReplicationListWatches
{
    public static ListWatch<V1ReplicationController> ReplicationControllers(IKubernetes client) => CoreListWatches.Of<V1ReplicationController, V1ReplicationControllerList>(
        "replicationcontrollers",
        (_, cancellationToken) => client.CoreV1.ListReplicationControllerForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListReplicationControllerForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
