using k8s;

namespace Timonel.Client.Informers;

/// <summary>
/// How an informer reads one kind (client-go's ListWatch): a list that answers the items and the list's
/// resourceVersion, and a watch from a resourceVersion with bookmarks. The watch reports an ERROR event's Status
/// through its error callback (KubernetesClient's watcher does not throw for them), so a 410 Gone can be seen.
/// </summary>
/// <param name="Description">What is listed, with its selectors: the informer's identity in a factory and in logs.</param>
public sealed record ListWatch<T>(
    string Description,
    Func<CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> List,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> Watch);
