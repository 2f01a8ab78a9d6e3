using k8s.Models;

namespace Timonel.Controllers.Job;

/// <summary>
/// The pod failures of a job since its last success, and when the latest happened (backoffRecord,
/// pkg/controller/job/backoff_utils.go): replacement pods wait 10 s after one failure, doubled per further failure up
/// to 6 minutes.
/// </summary>
internal sealed record BackoffRecord(int FailuresAfterLastSuccess, DateTime? LastFailureTime)
{
    /// <summary>DefaultJobPodFailureBackOff.</summary>
    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(10);

    /// <summary>MaxJobPodFailureBackOff.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(6);

    public static readonly BackoffRecord Empty = new(0, null);

    /// <summary>
    /// newBackoffRecord: a success newer than every failure resets the count; failures after the latest success
    /// add to it.
    /// </summary>
    public BackoffRecord With(IReadOnlyList<V1Pod> newSucceeded, IReadOnlyList<V1Pod> newFailed)
    {
        var failedTimes = newFailed.Select(JobPods.FinishedTime).Order().ToList();
        if (newSucceeded.Count == 0)
        {
            return failedTimes.Count == 0 ? this : new(FailuresAfterLastSuccess + failedTimes.Count, failedTimes[^1]);
        }

        var lastSuccess = newSucceeded.Max(JobPods.FinishedTime);
        var after = failedTimes.Where(t => t > lastSuccess).ToList();
        return new(after.Count, after.Count == 0 ? null : after[^1]);
    }

    /// <summary>getRemainingTimeForFailuresCount: how long a replacement must still wait at <paramref name="now"/>.</summary>
    public TimeSpan RemainingTime(DateTime now)
    {
        if (FailuresAfterLastSuccess == 0 || LastFailureTime is not { } last)
        {
            return TimeSpan.Zero;
        }

        var delay = BaseDelay;
        for (var i = 1; i < FailuresAfterLastSuccess; i++)
        {
            delay *= 2;
            if (delay >= MaxDelay)
            {
                delay = MaxDelay;
                break;
            }
        }

        var elapsed = now - last;
        return delay < elapsed ? TimeSpan.Zero : delay - elapsed;
    }
}
