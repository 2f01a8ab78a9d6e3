using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of the core/v1 kinds the controllers follow, across all namespaces.</summary>
public static class CoreListWatches
{
    public static ListWatch<V1Namespace> Namespaces(IKubernetes client) => Of<V1Namespace, V1NamespaceList>(
        "namespaces",
        (_, cancellationToken) => client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListNamespaceAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    /// <param name="fieldSelector">E.g. metadata.name=kube-root-ca.crt, to cache only the ConfigMaps a controller owns.</param>
    public static ListWatch<V1ConfigMap> ConfigMaps(IKubernetes client, string? fieldSelector = null) => Of<V1ConfigMap, V1ConfigMapList>(
        "configmaps",
        (selector, cancellationToken) => client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: selector, cancellationToken: cancellationToken),
        (selector, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListConfigMapForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken),
        fieldSelector);

    public static ListWatch<V1ServiceAccount> ServiceAccounts(IKubernetes client, string? fieldSelector = null) => Of<V1ServiceAccount, V1ServiceAccountList>(
        "serviceaccounts",
        (selector, cancellationToken) => client.CoreV1.ListServiceAccountForAllNamespacesAsync(fieldSelector: selector, cancellationToken: cancellationToken),
        (selector, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListServiceAccountForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken),
        fieldSelector);

    /// <param name="fieldSelector">E.g. type=kubernetes.io/service-account-token, to cache only the Secrets a controller fills.</param>
    public static ListWatch<V1Secret> Secrets(IKubernetes client, string? fieldSelector = null) => Of<V1Secret, V1SecretList>(
        "secrets",
        (selector, cancellationToken) => client.CoreV1.ListSecretForAllNamespacesAsync(fieldSelector: selector, cancellationToken: cancellationToken),
        (selector, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListSecretForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken),
        fieldSelector);

    /// <param name="fieldSelector">E.g. spec.nodeName=node-1 (a kubelet's pods) or spec.nodeName= (pods to schedule).</param>
    public static ListWatch<V1Pod> Pods(IKubernetes client, string? fieldSelector = null) => Of<V1Pod, V1PodList>(
        "pods",
        (selector, cancellationToken) => client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: selector, cancellationToken: cancellationToken),
        (selector, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken),
        fieldSelector);

    public static ListWatch<V1Node> Nodes(IKubernetes client, string? fieldSelector = null) => Of<V1Node, V1NodeList>(
        "nodes",
        (selector, cancellationToken) => client.CoreV1.ListNodeAsync(fieldSelector: selector, cancellationToken: cancellationToken),
        (selector, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true, fieldSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken),
        fieldSelector);

    /// <summary>client-go's reflector default (minWatchTimeout): each watch asks to end after 5 to 10 minutes.</summary>
    private static readonly TimeSpan _minWatchTimeout = TimeSpan.FromMinutes(5);

    // Every generated list type carries its items and the list's resourceVersion the same way. Each watch asks the
    // server to end it after a random 5-10 minutes, as client-go's reflector does: a connection that died without a
    // word (a half-open TCP connection) cannot keep the cache stale for longer, and clients do not all reconnect at once.
    internal static ListWatch<T> Of<T, TList>(
        string resource,
        Func<string?, CancellationToken, Task<TList>> list,
        Func<string?, string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        string? fieldSelector = null)
        where TList : IItems<T>, IMetadata<V1ListMeta> => new(
            fieldSelector is null ? resource : $"{resource}?fieldSelector={fieldSelector}",
            async cancellationToken =>
            {
                var listed = await list(fieldSelector, cancellationToken).ConfigureAwait(false);
                return ([.. listed.Items], listed.Metadata.ResourceVersion);
            },
            (resourceVersion, onError, cancellationToken) => watch(
                fieldSelector, resourceVersion, (int)(_minWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble())), onError, cancellationToken));
}
