using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of the core/v1 kinds the controllers follow, across all namespaces.</summary>
public static class CoreListWatches
{
    public static ListWatch<V1Namespace> Namespaces(IKubernetes client) => Of<V1Namespace, V1NamespaceList>(
        "namespaces",
        (_, cancellationToken) => client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, onError, cancellationToken) => client.CoreV1.WatchListNamespaceAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken));

    /// <param name="fieldSelector">E.g. metadata.name=kube-root-ca.crt, to cache only the ConfigMaps a controller owns.</param>
    public static ListWatch<V1ConfigMap> ConfigMaps(IKubernetes client, string? fieldSelector = null) => Of<V1ConfigMap, V1ConfigMapList>(
        "configmaps",
        (selector, cancellationToken) => client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: selector, cancellationToken: cancellationToken),
        (selector, resourceVersion, onError, cancellationToken) => client.CoreV1.WatchListConfigMapForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: selector, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken),
        fieldSelector);

    public static ListWatch<V1ServiceAccount> ServiceAccounts(IKubernetes client, string? fieldSelector = null) => Of<V1ServiceAccount, V1ServiceAccountList>(
        "serviceaccounts",
        (selector, cancellationToken) => client.CoreV1.ListServiceAccountForAllNamespacesAsync(fieldSelector: selector, cancellationToken: cancellationToken),
        (selector, resourceVersion, onError, cancellationToken) => client.CoreV1.WatchListServiceAccountForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: selector, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken),
        fieldSelector);

    // Every generated list type carries its items and the list's resourceVersion the same way.
    private static ListWatch<T> Of<T, TList>(
        string resource,
        Func<string?, CancellationToken, Task<TList>> list,
        Func<string?, string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        string? fieldSelector = null)
        where TList : IItems<T>, IMetadata<V1ListMeta> => new(
            fieldSelector is null ? resource : $"{resource}?fieldSelector={fieldSelector}",
            async cancellationToken =>
            {
                var listed = await list(fieldSelector, cancellationToken).ConfigureAwait(false);
                return ([.. listed.Items], listed.Metadata.ResourceVersion);
            },
            (resourceVersion, onError, cancellationToken) => watch(fieldSelector, resourceVersion, onError, cancellationToken));
}
