using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of scheduling.k8s.io/v1 PriorityClasses.</summary>
public static class SchedulingListWatches
{
    public static ListWatch<V1PriorityClass> PriorityClasses(IKubernetes client) => CoreListWatches.Of<V1PriorityClass, V1PriorityClassList>(
        "priorityclasses",
        (_, cancellationToken) => client.SchedulingV1.ListPriorityClassAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.SchedulingV1.WatchListPriorityClassAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
