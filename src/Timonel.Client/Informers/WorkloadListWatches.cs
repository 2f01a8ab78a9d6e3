using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>
/// List-watches of the apps/v1 workloads whose scale the disruption controller reads, across all namespaces. Their
/// descriptions are the resource names, so an informer of the same kind asked for elsewhere is the same one.
/// </summary>
public static class WorkloadListWatches
{
    public static ListWatch<V1Deployment> Deployments(IKubernetes client) => CoreListWatches.Of<V1Deployment, V1DeploymentList>(
        "deployments",
        (_, cancellationToken) => client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.AppsV1.WatchListDeploymentForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    public static ListWatch<V1StatefulSet> StatefulSets(IKubernetes client) => CoreListWatches.Of<V1StatefulSet, V1StatefulSetList>(
        "statefulsets",
        (_, cancellationToken) => client.AppsV1.ListStatefulSetForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.AppsV1.WatchListStatefulSetForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
