using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of the batch/v1 kinds, across all namespaces.</summary>
public static class BatchListWatches
{
    public static ListWatch<V1Job> Jobs(IKubernetes client) => CoreListWatches.Of<V1Job, V1JobList>(
        "jobs",
        (_, cancellationToken) => client.BatchV1.ListJobForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.BatchV1.WatchListJobForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    public static ListWatch<V1CronJob> CronJobs(IKubernetes client) => CoreListWatches.Of<V1CronJob, V1CronJobList>(
        "cronjobs",
        (_, cancellationToken) => client.BatchV1.ListCronJobForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.BatchV1.WatchListCronJobForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
