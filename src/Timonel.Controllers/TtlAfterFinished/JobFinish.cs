using k8s.Models;

namespace Timonel.Controllers.TtlAfterFinished;

/// <summary>
/// Whether and when a Job finished, read from its conditions as upstream's pkg/controller/job/util does
/// (FinishedCondition, IsJobSucceeded) and the TTL controller's jobFinishTime: a Complete or Failed condition with
/// status True.
/// </summary>
public static class JobFinish
{
    public const string Complete = "Complete";
    public const string Failed = "Failed";

    /// <summary>"Complete" or "Failed" once the Job finished; null while it runs.</summary>
    public static string? FinishedCondition(V1Job job) => Finished(job)?.Type;

    public static bool IsFinished(V1Job job) => Finished(job) is not null;

    public static bool IsSucceeded(V1Job job) => job.Status?.Conditions?.Any(c => c.Type == Complete && c.Status == "True") == true;

    /// <summary>The finishing condition's lastTransitionTime (UTC); null when the Job has not finished or the time is missing.</summary>
    public static DateTimeOffset? FinishTime(V1Job job) => Finished(job)?.LastTransitionTime is { } at ? Utc(at) : null;

    /// <summary>A time read from an object as UTC, whatever kind the client's converter gave it.</summary>
    public static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static V1JobCondition? Finished(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type is Complete or Failed && c.Status == "True");
}
