using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of rbac.authorization.k8s.io/v1 kinds.</summary>
public static class RbacListWatches
{
    public static ListWatch<V1ClusterRole> ClusterRoles(IKubernetes client) => CoreListWatches.Of<V1ClusterRole, V1ClusterRoleList>(
        "clusterroles",
        (_, cancellationToken) => client.RbacAuthorizationV1.ListClusterRoleAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.RbacAuthorizationV1.WatchListClusterRoleAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
