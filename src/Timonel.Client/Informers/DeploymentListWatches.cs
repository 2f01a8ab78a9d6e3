using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>The list-watch of apps/v1 Deployments across all namespaces (the deployment controller's input).</summary>
public static class DeploymentListWatches
{
    /// <summary>client-go's reflector default (minWatchTimeout): each watch asks to end after 5 to 10 minutes.</summary>
    private static readonly TimeSpan _minWatchTimeout = TimeSpan.FromMinutes(5);

    public static ListWatch<V1Deployment> Deployments(IKubernetes client) => new(
        "deployments",
        async cancellationToken =>
        {
            var listed = await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. listed.Items], listed.Metadata.ResourceVersion);
        },
        (resourceVersion, onError, cancellationToken) => client.AppsV1.WatchListDeploymentForAllNamespacesAsync(
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: (int)(_minWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble())),
            onError: onError,
            cancellationToken: cancellationToken));
}
