using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of the apps/v1 kinds the controllers follow, across all namespaces.</summary>
public static class AppsListWatches
{
    /// <summary>client-go's reflector default (minWatchTimeout): each watch asks to end after 5 to 10 minutes.</summary>
    private static readonly TimeSpan _minWatchTimeout = TimeSpan.FromMinutes(5);

    public static ListWatch<V1ReplicaSet> ReplicaSets(IKubernetes client) => new(
        "replicasets",
        async cancellationToken =>
        {
            var listed = await client.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. listed.Items], listed.Metadata.ResourceVersion);
        },
        (resourceVersion, onError, cancellationToken) => client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: (int)(_minWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble())),
            onError: onError,
            cancellationToken: cancellationToken));
}
