using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of policy/v1 PodDisruptionBudgets, across all namespaces.</summary>
public static class PolicyListWatches
{
    public static ListWatch<V1PodDisruptionBudget> PodDisruptionBudgets(IKubernetes client) => CoreListWatches.Of<V1PodDisruptionBudget, V1PodDisruptionBudgetList>(
        "poddisruptionbudgets",
        (_, cancellationToken) => client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.PolicyV1.WatchListPodDisruptionBudgetForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
