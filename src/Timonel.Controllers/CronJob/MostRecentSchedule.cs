namespace Timonel.Controllers.CronJob;

/// <summary>
/// What upstream's mostRecentScheduleTime returns: the time counted from (last schedule, creation or the starting
/// deadline), the most recent schedule time not after now (null when none), how many were missed, and the error of a
/// schedule that parses but never runs.
/// </summary>
internal readonly record struct MostRecentSchedule(DateTimeOffset Earliest, DateTimeOffset? Time, MissedSchedules Missed, string? Error);
