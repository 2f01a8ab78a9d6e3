using k8s.Models;

namespace Timonel.Controllers.Job;

/// <summary>The job's conditions as upstream's job controller writes them (newCondition, ensureJobConditionStatus).</summary>
internal static class JobConditions
{
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string FailureTarget = "FailureTarget";
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";
    public const string Suspended = "Suspended";

    // batch.JobReason* (pkg/apis/batch/types.go).
    public const string ReasonBackoffLimitExceeded = "BackoffLimitExceeded";
    public const string ReasonDeadlineExceeded = "DeadlineExceeded";
    public const string ReasonPodFailurePolicy = "PodFailurePolicy";
    public const string ReasonMaxFailedIndexesExceeded = "MaxFailedIndexesExceeded";
    public const string ReasonFailedIndexes = "FailedIndexes";
    public const string ReasonSuccessPolicy = "SuccessPolicy";
    public const string ReasonCompletionsReached = "CompletionsReached";

    public static V1JobCondition New(string type, string status, string? reason, string? message, DateTime now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastProbeTime = now,
        LastTransitionTime = now,
    };

    public static V1JobCondition? Find(V1Job job, string type) => job.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(V1Job job, string type) => Find(job, type)?.Status == "True";

    /// <summary>IsJobFinished: Complete or Failed is True; the controller leaves such a job alone.</summary>
    public static bool IsFinished(V1Job job) =>
        job.Status?.Conditions?.Any(c => c.Type is Complete or Failed && c.Status == "True") == true;

    /// <summary>
    /// ensureJobConditionStatus: replaces the condition of that type when its status, reason or message differ,
    /// appends it when missing (unless False); true if the list changed.
    /// </summary>
    public static bool Ensure(V1JobStatus status, string type, string conditionStatus, string reason, string message, DateTime now)
    {
        var index = status.Conditions?.ToList().FindIndex(c => c.Type == type) ?? -1;
        if (index >= 0)
        {
            var existing = status.Conditions![index];
            if (existing.Status == conditionStatus && existing.Reason == reason && existing.Message == message)
            {
                return false;
            }

            status.Conditions[index] = New(type, conditionStatus, reason, message, now);
            return true;
        }

        if (conditionStatus == "False")
        {
            return false;
        }

        status.Conditions ??= [];
        status.Conditions.Add(New(type, conditionStatus, reason, message, now));
        return true;
    }
}
