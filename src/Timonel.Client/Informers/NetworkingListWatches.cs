using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of networking.k8s.io/v1 Ingresses, across all namespaces.</summary>
public static class NetworkingListWatches
{
    public static ListWatch<V1Ingress> Ingresses(IKubernetes client) => CoreListWatches.Of<V1Ingress, V1IngressList>(
        "ingresses",
        (_, cancellationToken) => client.NetworkingV1.ListIngressForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.NetworkingV1.WatchListIngressForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
