namespace Timonel.Controllers.CronJob;

/// <summary>How many schedule times passed unmet (upstream's missedSchedulesType in pkg/controller/cronjob/utils.go).</summary>
internal enum MissedSchedules
{
    None,
    Few,

    /// <summary>More than 100: reported with a TooManyMissedTimes event.</summary>
    Many,
}
