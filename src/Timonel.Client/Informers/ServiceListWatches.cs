using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of Services and what the endpoint controllers write for them, across all namespaces.</summary>
public static class ServiceListWatches
{
    public static ListWatch<V1Service> Services(IKubernetes client) => CoreListWatches.Of<V1Service, V1ServiceList>(
        "services",
        (_, cancellationToken) => client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListServiceForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    public static ListWatch<V1Endpoints> Endpoints(IKubernetes client) => CoreListWatches.Of<V1Endpoints, V1EndpointsList>(
        "endpoints",
        (_, cancellationToken) => client.CoreV1.ListEndpointsForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListEndpointsForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    /// <param name="labelSelector">E.g. endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io.</param>
    public static ListWatch<V1EndpointSlice> EndpointSlices(IKubernetes client, string labelSelector) => new(
        $"endpointslices?labelSelector={labelSelector}",
        async cancellationToken =>
        {
            var listed = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ([.. listed.Items], listed.Metadata.ResourceVersion);
        },
        (resourceVersion, onError, cancellationToken) => client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(
            allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: 300, onError: onError, cancellationToken: cancellationToken));
}
