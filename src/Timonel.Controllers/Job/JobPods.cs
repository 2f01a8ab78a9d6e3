using System.Globalization;
using k8s.Models;

namespace Timonel.Controllers.Job;

/// <summary>What the Job controller reads off its pods (pkg/controller/job/job_controller.go, indexed_job_utils.go).</summary>
internal static class JobPods
{
    /// <summary>batch.JobTrackingFinalizer: a pod keeps it until its outcome is counted in the job's status.</summary>
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";

    /// <summary>batch.JobCompletionIndexAnnotation, also the label of the same name (PodIndexLabel, GA in 1.32).</summary>
    public const string CompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";

    /// <summary>The variable every container of an Indexed job's pods gets (completionIndexEnvName).</summary>
    public const string CompletionIndexEnvName = "JOB_COMPLETION_INDEX";

    /// <summary>unknownCompletionIndex.</summary>
    public const int UnknownIndex = -1;

    public static bool HasTrackingFinalizer(V1Pod pod) => pod.Metadata.Finalizers?.Contains(TrackingFinalizer) == true;

    /// <summary>controller.FilterActivePods: neither terminal nor being deleted.</summary>
    public static bool IsActive(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed");

    /// <summary>controller.CountTerminatingPods: being deleted but not yet terminal.</summary>
    public static bool IsTerminating(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase is not ("Succeeded" or "Failed");

    public static bool IsSucceeded(V1Pod pod) => pod.Status?.Phase == "Succeeded";

    /// <summary>
    /// isPodFailed: Failed, or (unless only failed pods are replaced) deleted before succeeding, so that pods removed
    /// from under the job (orphaned, evicted) count as failures.
    /// </summary>
    public static bool IsFailed(V1Pod pod, V1Job job)
    {
        if (pod.Status?.Phase == "Failed")
        {
            return true;
        }

        return !OnlyReplaceFailedPods(job) && pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase != "Succeeded";
    }

    /// <summary>onlyReplaceFailedPods: podReplacementPolicy Failed (the default with a pod failure policy).</summary>
    public static bool OnlyReplaceFailedPods(V1Job job) =>
        job.Spec.PodReplacementPolicy == "Failed" || job.Spec.PodFailurePolicy is not null;

    /// <summary>getCompletionIndex: the annotation's value, or <see cref="UnknownIndex"/> if missing or not a number.</summary>
    public static int CompletionIndex(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(CompletionIndexAnnotation, out var text) == true
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : UnknownIndex;

    /// <summary>
    /// getFinishedTime: when the last container terminated, else when Ready turned False, else the deletion
    /// timestamp, else the creation time.
    /// </summary>
    public static DateTime FinishedTime(V1Pod pod)
    {
        var statuses = pod.Status?.ContainerStatuses;
        if (statuses is { Count: > 0 } && statuses.All(s => s.State?.Terminated is not null))
        {
            var last = statuses.Max(s => s.State.Terminated.FinishedAt);
            if (last is { } finished)
            {
                return finished;
            }
        }

        if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "False")?.LastTransitionTime is { } notReady)
        {
            return notReady;
        }

        return pod.Metadata.DeletionTimestamp ?? pod.Metadata.CreationTimestamp ?? DateTime.MinValue;
    }
}
