using k8s.Models;

namespace Timonel.Controllers.CronJob;

/// <summary>
/// What syncCronJob hands back: the cron job as changed (possibly re-read from the server), when to look again (null:
/// not until it changes), whether its status must be written, and the error to retry with.
/// </summary>
internal sealed record SyncOutcome(V1CronJob CronJob, TimeSpan? RequeueAfter, bool UpdateStatus, Exception? Error);
