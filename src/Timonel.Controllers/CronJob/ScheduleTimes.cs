using k8s.Models;
using Timonel.Api.Cron;
using Timonel.Controllers.TtlAfterFinished;

namespace Timonel.Controllers.CronJob;

/// <summary>The schedule arithmetic of upstream's pkg/controller/cronjob/utils.go.</summary>
internal static class ScheduleTimes
{
    /// <summary>nextScheduleDelta: requeues land this much after the schedule time, against clock skew.</summary>
    public static readonly TimeSpan NextScheduleDelta = TimeSpan.FromMilliseconds(100);

    /// <summary>More missed times than this is reported as TooManyMissedTimes (upstream's "somewhat arbitrary" 100).</summary>
    public const long TooManyMissed = 100;

    /// <summary>
    /// mostRecentScheduleTime: counts from the last schedule time (else creation, or now minus startingDeadlineSeconds
    /// if later and asked for) and finds the most recent schedule time not after now, without walking every missed
    /// time: the count is estimated from the interval between the first two times.
    /// </summary>
    public static MostRecentSchedule MostRecent(V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule, bool includeStartingDeadlineSeconds)
    {
        var earliest = cronJob.Status?.LastScheduleTime is { } last ? JobFinish.Utc(last)
            : cronJob.Metadata.CreationTimestamp is { } created ? JobFinish.Utc(created)
            : now;
        if (includeStartingDeadlineSeconds && cronJob.Spec.StartingDeadlineSeconds is { } deadlineSeconds)
        {
            var schedulingDeadline = now.AddSeconds(-deadlineSeconds);
            if (schedulingDeadline > earliest)
            {
                earliest = schedulingDeadline;
            }
        }

        // A null Next is robfig's zero time: a schedule (31 February) that never comes.
        var t1 = schedule.Next(earliest);
        if (t1 is { } first && now < first)
        {
            return new(earliest, null, MissedSchedules.None, null);
        }

        var t2 = t1 is null ? null : schedule.Next(t1.Value);
        if (t2 is { } second && now < second)
        {
            return new(earliest, t1, MissedSchedules.None, null);
        }

        var between = t1 is null || t2 is null ? 0 : (long)Math.Round((t2.Value - t1.Value).TotalSeconds, MidpointRounding.AwayFromZero);
        if (between < 1)
        {
            return new(earliest, null, MissedSchedules.None, "time difference between two schedules is less than 1 second");
        }

        var elapsed = (long)(now - t1!.Value).TotalSeconds;
        var missed = (elapsed / between) + 1;

        // One interval before the estimate, so irregular schedules (30 6-16/4 * * 1-5) still find their last time.
        var potentialEarliest = t1.Value.AddSeconds((missed - 2) * between);
        DateTimeOffset? mostRecent = null;
        for (var t = schedule.Next(potentialEarliest); t is { } at && at <= now; t = schedule.Next(at))
        {
            mostRecent = at;
        }

        var kind = missed > TooManyMissed ? MissedSchedules.Many : missed > 0 ? MissedSchedules.Few : MissedSchedules.None;
        return new(earliest, mostRecent, kind, null);
    }

    /// <summary>
    /// nextScheduleTimeDuration: how long until the schedule time after the most recent one (plus the 100 ms delta);
    /// null when the schedule never comes again.
    /// </summary>
    public static TimeSpan? UntilNext(V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule)
    {
        var recent = MostRecent(cronJob, now, schedule, includeStartingDeadlineSeconds: false);
        var from = recent.Error is not null ? now : recent.Time ?? recent.Earliest;
        return schedule.Next(from) is { } next ? next + NextScheduleDelta - now : null;
    }
}
