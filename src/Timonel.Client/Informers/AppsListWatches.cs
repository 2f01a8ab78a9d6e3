using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>
/// List-watches of the apps/v1 kinds the controllers follow, across all namespaces. Their descriptions are the
/// resource names, so the same kind asked for by two controllers is one informer.
/// </summary>
public static class AppsListWatches
{
    public static ListWatch<V1ReplicaSet> ReplicaSets(IKubernetes client) => CoreListWatches.Of<V1ReplicaSet, V1ReplicaSetList>(
        "replicasets",
        (_, cancellationToken) => client.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

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

    public static ListWatch<V1DaemonSet> DaemonSets(IKubernetes client) => CoreListWatches.Of<V1DaemonSet, V1DaemonSetList>(
        "daemonsets",
        (_, cancellationToken) => client.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.AppsV1.WatchListDaemonSetForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    public static ListWatch<V1ControllerRevision> ControllerRevisions(IKubernetes client) => CoreListWatches.Of<V1ControllerRevision, V1ControllerRevisionList>(
        "controllerrevisions",
        (_, cancellationToken) => client.AppsV1.ListControllerRevisionForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.AppsV1.WatchListControllerRevisionForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
