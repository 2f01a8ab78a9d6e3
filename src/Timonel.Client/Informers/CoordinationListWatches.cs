using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of coordination.k8s.io/v1 kinds the controllers follow.</summary>
public static class CoordinationListWatches
{
    /// <summary>client-go's reflector default (minWatchTimeout): each watch asks to end after 5 to 10 minutes.</summary>
    private static readonly TimeSpan _minWatchTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The Leases of one namespace, e.g. kube-node-lease, where each node agent renews its heartbeat.</summary>
    public static ListWatch<V1Lease> Leases(IKubernetes client, string ns) => new(
        $"leases?namespace={ns}",
        async cancellationToken =>
        {
            var listed = await client.CoordinationV1.ListNamespacedLeaseAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. listed.Items], listed.Metadata.ResourceVersion);
        },
        (resourceVersion, onError, cancellationToken) => client.CoordinationV1.WatchListNamespacedLeaseAsync(
            ns,
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: (int)(_minWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble())),
            onError: onError,
            cancellationToken: cancellationToken));
}
