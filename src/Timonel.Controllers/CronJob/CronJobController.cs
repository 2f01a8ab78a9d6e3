using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Api.Cron;
using Timonel.Client;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Controllers.TtlAfterFinished;

namespace Timonel.Controllers.CronJob;

/// <summary>
/// Creates a Job at each schedule time of every CronJob, as kube-controller-manager's cronjob controller v2 does
/// (pkg/controller/cronjob/cronjob_controllerv2.go): the Job is named after the cron job and the schedule time in
/// minutes since the epoch (so a time is never run twice), concurrencyPolicy decides what happens while an earlier Job
/// runs, startingDeadlineSeconds drops times missed for too long, finished Jobs beyond the history limits are deleted,
/// and status.active, lastScheduleTime and lastSuccessfulTime are kept. Each sync requeues its key for the next
/// schedule time through the <see cref="TimeProvider"/>; nothing polls.
/// </summary>
public sealed class CronJobController : ControllerBase
{
    /// <summary>The component events are reported by (upstream's recorder name).</summary>
    public const string Component = "cronjob-controller";

    /// <summary>batchv1.CronJobScheduledTimestampAnnotation: the schedule time a Job was created for, RFC 3339 in the cron job's zone.</summary>
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1CronJob> _cronJobs;
    private readonly SharedInformer<V1Job> _jobs;
    private readonly IEventRecorder _events;
    private readonly TimeZoneInfo _localZone;

    /// <param name="localZone">
    /// The zone of schedules without spec.timeZone: upstream reads them in kube-controller-manager's local zone;
    /// null is this process's.
    /// </param>
    public CronJobController(IKubernetes client, SharedInformer<V1CronJob> cronJobs, SharedInformer<V1Job> jobs, IEventRecorder events, TimeProvider time, ILogger<CronJobController> logger, TimeZoneInfo? localZone = null)
        : base(logger, time, [cronJobs, jobs], workers: 5)
    {
        _client = client;
        _cronJobs = cronJobs;
        _jobs = jobs;
        _events = events;
        _localZone = localZone ?? TimeZoneInfo.Local;
        jobs.AddIndexer(Indexers.OwnerUidIndex, Indexers.OwnerUid);
        cronJobs.AddHandlers(new(
            OnAdd: cj => Enqueue(ObjectKey.Of(cj)),
            OnUpdate: (_, cj) => Enqueue(ObjectKey.Of(cj)),
            OnDelete: cj => Enqueue(ObjectKey.Of(cj))));
        jobs.AddHandlers(new(
            OnAdd: EnqueueOwner,
            OnUpdate: (old, job) =>
            {
                EnqueueOwner(old);
                EnqueueOwner(job);
            },
            OnDelete: EnqueueOwner));
    }

    /// <summary>upstream's sync: clean up finished Jobs, run the schedule, write status once if anything changed.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_cronJobs.Cache.Get(ns, name) is not { } cached)
        {
            return SyncResult.Done;
        }

        var jobs = JobsOf(cached);

        // The lister's object is shared: every change goes to one copy, written once.
        var cronJob = Clone(cached);
        cronJob.Status ??= new V1CronJobStatus();
        var updateAfterCleanup = await CleanupFinishedJobsAsync(cronJob, jobs, cancellationToken).ConfigureAwait(false);
        var outcome = await SyncCronJobAsync(cronJob, jobs, cancellationToken).ConfigureAwait(false);
        if (updateAfterCleanup || outcome.UpdateStatus)
        {
            await _client.BatchV1.ReplaceNamespacedCronJobStatusAsync(outcome.CronJob, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (outcome.RequeueAfter is { } delay)
        {
            return SyncResult.Requeue(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }

        // Suspended, or a schedule that cannot run: nothing to do until the cron job changes.
        return outcome.Error is { } error ? throw error : SyncResult.Done;
    }

    private static T Clone<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    private static V1OwnerReference? ControllerOf(V1Job job) => job.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    private static bool InActiveList(V1CronJob cronJob, string uid) => cronJob.Status?.Active?.Any(a => a.Uid == uid) == true;

    private static void DeleteFromActiveList(V1CronJob cronJob, string uid)
    {
        if (cronJob.Status?.Active is { } active)
        {
            // omitempty upstream: an empty list is left out rather than written as [].
            List<V1ObjectReference> rest = [.. active.Where(a => a.Uid != uid)];
            cronJob.Status.Active = rest.Count == 0 ? null : rest;
        }
    }

    /// <summary>getJobName: the cron job's name and the schedule time in minutes since the epoch.</summary>
    internal static string JobName(V1CronJob cronJob, DateTimeOffset scheduledTime) =>
        string.Create(CultureInfo.InvariantCulture, $"{cronJob.Metadata.Name}-{scheduledTime.ToUnixTimeSeconds() / 60}");

    /// <summary>Go's time.RFC3339 layout: "Z" for UTC, else the offset.</summary>
    private static string Rfc3339(DateTimeOffset time) =>
        time.Offset == TimeSpan.Zero
            ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Go's time.RFC1123Z layout, as the MissSchedule event prints the time.</summary>
    private static string Rfc1123Z(DateTimeOffset time) => time.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    /// <summary>
    /// getJobsToBeReconciled: the Jobs whose controller reference names the cron job. Looked up by the owner UID
    /// index rather than by scanning the namespace as upstream does (by name), so a sync costs the same with thousands
    /// of Jobs around; a Job of an earlier cron job of the same name is the garbage collector's.
    /// </summary>
    private List<V1Job> JobsOf(V1CronJob cronJob) =>
        [.. _jobs.Cache.ByIndex(Indexers.OwnerUidIndex, cronJob.Metadata.Uid).Where(j => ControllerOf(j) is { Kind: "CronJob" } owner && owner.Uid == cronJob.Metadata.Uid)];

    private void EnqueueOwner(V1Job job)
    {
        // resolveControllerRef: a Job counts only for the cron job with the UID its reference names.
        if (ControllerOf(job) is { Kind: "CronJob" } owner
            && _cronJobs.Cache.Get(job.Metadata.NamespaceProperty, owner.Name) is { } cronJob
            && cronJob.Metadata.Uid == owner.Uid)
        {
            Enqueue(ObjectKey.Of(cronJob));
        }
    }

    /// <summary>
    /// formatSchedule and cron.ParseStandard: spec.timeZone becomes the zone of the fields (a TZ= prefix in the
    /// schedule still works, with a warning); a schedule that does not parse is reported and left alone.
    /// </summary>
    private CronSchedule? ParseSchedule(V1CronJob cronJob)
    {
        var schedule = cronJob.Spec.Schedule ?? string.Empty;
        if (schedule.Contains("TZ", StringComparison.Ordinal))
        {
            _events.Event(cronJob, "Warning", "UnsupportedSchedule", $"CRON_TZ or TZ used in schedule \"{schedule}\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
        }
        else if (cronJob.Spec.TimeZone is { } zone && GoLocation.TryLoad(zone, _localZone, out _, out _))
        {
            schedule = $"TZ={zone} {schedule}";
        }

        try
        {
            return CronSchedule.Parse(schedule, _localZone);
        }
        catch (CronFormatException ex)
        {
            _events.Event(cronJob, "Warning", "UnparseableSchedule", $"unparseable schedule: \"{cronJob.Spec.Schedule}\" : {ex.Message}");
            return null;
        }
    }

    /// <summary>syncCronJob: reconciles status.active with the Jobs seen, then starts the most recent unmet schedule time.</summary>
    private async Task<SyncOutcome> SyncCronJobAsync(V1CronJob cronJob, List<V1Job> jobs, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var updateStatus = false;
        var children = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            children.Add(job.Metadata.Uid);
            var found = InActiveList(cronJob, job.Metadata.Uid);
            if (!found && !JobFinish.IsFinished(job))
            {
                // Our status may be older than the Job (created just before a restart): look at the stored cron job.
                var fresh = await _client.BatchV1.ReadNamespacedCronJobAsync(cronJob.Metadata.Name, cronJob.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (InActiveList(fresh, job.Metadata.Uid))
                {
                    cronJob = fresh;
                    cronJob.Status ??= new V1CronJobStatus();
                    continue;
                }

                _events.Event(cronJob, "Warning", "UnexpectedJob", $"Saw a job that the controller did not create or forgot: {job.Metadata.Name}");
            }
            else if (found && JobFinish.FinishedCondition(job) is { } condition)
            {
                DeleteFromActiveList(cronJob, job.Metadata.Uid);
                _events.Event(cronJob, "Normal", "SawCompletedJob", $"Saw completed job: {job.Metadata.Name}, condition: {condition}");
                updateStatus = true;
            }
            else if (JobFinish.IsSucceeded(job) && job.Status?.CompletionTime is { } completion)
            {
                // A Job need not be active to count: its completion time moves lastSuccessfulTime forward.
                var completed = JobFinish.Utc(completion);
                if (cronJob.Status.LastSuccessfulTime is not { } last || completed > JobFinish.Utc(last))
                {
                    cronJob.Status.LastSuccessfulTime = completed.UtcDateTime;
                    updateStatus = true;
                }
            }
        }

        // An active reference whose Job is gone would keep the cron job "active" forever; ask the server rather than
        // trust a cache that may lag.
        foreach (var reference in (cronJob.Status.Active ?? []).ToList())
        {
            if (children.Contains(reference.Uid))
            {
                continue;
            }

            try
            {
                await _client.BatchV1.ReadNamespacedJobAsync(reference.Name, reference.NamespaceProperty ?? cronJob.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                _events.Event(cronJob, "Normal", "MissingJob", $"Active job went missing: {reference.Name}");
                DeleteFromActiveList(cronJob, reference.Uid);
                updateStatus = true;
            }
            catch (HttpOperationException ex)
            {
                return new(cronJob, null, updateStatus, ex);
            }
        }

        if (cronJob.Metadata.DeletionTimestamp is not null)
        {
            return new(cronJob, null, updateStatus, null);
        }

        if (cronJob.Spec.TimeZone is { } timeZone && !GoLocation.TryLoad(timeZone, _localZone, out _, out var zoneError))
        {
            _events.Event(cronJob, "Warning", "UnknownTimeZone", $"invalid timeZone: \"{timeZone}\": {zoneError}");
            return new(cronJob, null, updateStatus, null);
        }

        if (cronJob.Spec.Suspend == true || ParseSchedule(cronJob) is not { } schedule)
        {
            return new(cronJob, null, updateStatus, null);
        }

        var recent = ScheduleTimes.MostRecent(cronJob, now, schedule, includeStartingDeadlineSeconds: true);
        if (recent.Error is { } invalid)
        {
            _events.Event(cronJob, "Warning", "InvalidSchedule", $"invalid schedule: {cronJob.Spec.Schedule} : {invalid}");
            return new(cronJob, null, updateStatus, null);
        }

        if (recent.Time is not { } scheduledTime || scheduledTime > now)
        {
            // Nothing due: the queue brings the key back at the next time.
            return new(cronJob, ScheduleTimes.UntilNext(cronJob, now, schedule), updateStatus, null);
        }

        if (recent.Missed == MissedSchedules.Many)
        {
            _events.Event(cronJob, "Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }

        if (cronJob.Spec.StartingDeadlineSeconds is { } deadline && scheduledTime.AddSeconds(deadline) < now)
        {
            _events.Event(cronJob, "Warning", "MissSchedule", $"Missed scheduled time to start a job: {Rfc1123Z(scheduledTime)}");
            return new(cronJob, ScheduleTimes.UntilNext(cronJob, now, schedule), updateStatus, null);
        }

        var jobName = JobName(cronJob, scheduledTime);
        if (cronJob.Status.Active?.Any(a => a.Name == jobName && a.NamespaceProperty == cronJob.Metadata.NamespaceProperty) == true
            || (cronJob.Status.LastScheduleTime is { } lastScheduled && JobFinish.Utc(lastScheduled) == scheduledTime))
        {
            // This time was already run.
            return new(cronJob, ScheduleTimes.UntilNext(cronJob, now, schedule), updateStatus, null);
        }

        if (cronJob.Spec.ConcurrencyPolicy == "Forbid" && cronJob.Status.Active is { Count: > 0 })
        {
            _events.Event(cronJob, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return new(cronJob, ScheduleTimes.UntilNext(cronJob, now, schedule), updateStatus, null);
        }

        if (cronJob.Spec.ConcurrencyPolicy == "Replace")
        {
            foreach (var reference in (cronJob.Status.Active ?? []).ToList())
            {
                V1Job running;
                try
                {
                    running = await _client.BatchV1.ReadNamespacedJobAsync(reference.Name, reference.NamespaceProperty ?? cronJob.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (HttpOperationException ex)
                {
                    _events.Event(cronJob, "Warning", "FailedGet", $"Get job: {ApiErrors.Message(ex)}");
                    return new(cronJob, null, updateStatus, ex);
                }

                if (!await DeleteJobAsync(cronJob, running, cancellationToken).ConfigureAwait(false))
                {
                    return new(cronJob, null, updateStatus, new InvalidOperationException($"could not replace job {running.Metadata.NamespaceProperty}/{running.Metadata.Name}"));
                }

                updateStatus = true;
            }
        }

        var request = JobFromTemplate(cronJob, scheduledTime, jobName);
        V1Job created;
        try
        {
            created = await _client.BatchV1.CreateNamespacedJobAsync(request, cronJob.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            _events.Event(cronJob, "Normal", "SuccessfulCreate", $"Created job {created.Metadata.Name}");
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier sync whose status write was lost: the name is the lock that makes this safe.
            created = await _client.BatchV1.ReadNamespacedJobAsync(jobName, cronJob.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (ControllerOf(created) is not { } owner || owner.Uid != cronJob.Metadata.Uid || InActiveList(cronJob, created.Metadata.Uid))
            {
                return new(cronJob, null, updateStatus, null);
            }
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden && ApiErrors.Message(ex).Contains("because it is being terminated", StringComparison.Ordinal))
        {
            // The namespace is going away: every creation will fail.
            return new(cronJob, null, updateStatus, ex);
        }
        catch (HttpOperationException ex)
        {
            _events.Event(cronJob, "Warning", "FailedCreate", $"Error creating job: {ApiErrors.Message(ex)}");
            return new(cronJob, null, updateStatus, ex);
        }

        cronJob.Status.Active = [.. cronJob.Status.Active ?? [], new V1ObjectReference
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Name = created.Metadata.Name,
            NamespaceProperty = created.Metadata.NamespaceProperty ?? cronJob.Metadata.NamespaceProperty,
            Uid = created.Metadata.Uid,
            ResourceVersion = created.Metadata.ResourceVersion,
        }];
        cronJob.Status.LastScheduleTime = scheduledTime.UtcDateTime;
        return new(cronJob, ScheduleTimes.UntilNext(cronJob, now, schedule), true, null);
    }

    /// <summary>getJobFromTemplate2: the template's labels, annotations and spec, owned by the cron job.</summary>
    private V1Job JobFromTemplate(V1CronJob cronJob, DateTimeOffset scheduledTime, string name)
    {
        var template = cronJob.Spec.JobTemplate;
        var annotations = template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);

        // The time as the cron job's zone reads it (UTC without spec.timeZone, as upstream's LoadLocation("")).
        GoLocation.TryLoad(cronJob.Spec.TimeZone ?? string.Empty, _localZone, out var zone, out _);
        annotations[ScheduledTimestampAnnotation] = Rfc3339(TimeZoneInfo.ConvertTime(scheduledTime, zone));
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = template.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal),
                Annotations = annotations,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "batch/v1",
                        Kind = "CronJob",
                        Name = cronJob.Metadata.Name,
                        Uid = cronJob.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = Clone(template.Spec),
        };
    }

    /// <summary>cleanupFinishedJobs: keeps the newest successfulJobsHistoryLimit Complete and failedJobsHistoryLimit Failed Jobs.</summary>
    private async Task<bool> CleanupFinishedJobsAsync(V1CronJob cronJob, List<V1Job> jobs, CancellationToken cancellationToken)
    {
        var updateStatus = false;
        if (cronJob.Spec.SuccessfulJobsHistoryLimit is { } successful)
        {
            updateStatus |= await RemoveOldestJobsAsync(cronJob, [.. jobs.Where(j => JobFinish.FinishedCondition(j) == JobFinish.Complete)], successful, cancellationToken).ConfigureAwait(false);
        }

        if (cronJob.Spec.FailedJobsHistoryLimit is { } failed)
        {
            updateStatus |= await RemoveOldestJobsAsync(cronJob, [.. jobs.Where(j => JobFinish.FinishedCondition(j) == JobFinish.Failed)], failed, cancellationToken).ConfigureAwait(false);
        }

        return updateStatus;
    }

    /// <summary>removeOldestJobs: oldest first by status.startTime (Jobs without one last), then by name.</summary>
    private async Task<bool> RemoveOldestJobsAsync(V1CronJob cronJob, List<V1Job> finished, int keep, CancellationToken cancellationToken)
    {
        var updateStatus = false;
        var surplus = finished.Count - keep;
        if (surplus <= 0)
        {
            return false;
        }

        var oldestFirst = finished
            .OrderBy(j => j.Status?.StartTime is null)
            .ThenBy(j => j.Status?.StartTime is { } start ? JobFinish.Utc(start) : DateTimeOffset.MaxValue)
            .ThenBy(j => j.Metadata.Name, StringComparer.Ordinal);
        foreach (var job in oldestFirst.Take(surplus))
        {
            updateStatus |= await DeleteJobAsync(cronJob, job, cancellationToken).ConfigureAwait(false);
        }

        return updateStatus;
    }

    /// <summary>deleteJob: deletes the Job (its pods follow in the background) and its active reference.</summary>
    private async Task<bool> DeleteJobAsync(V1CronJob cronJob, V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            await _client.BatchV1.DeleteNamespacedJobAsync(job.Metadata.Name, job.Metadata.NamespaceProperty, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            _events.Event(cronJob, "Warning", "FailedDelete", $"Deleted job: {ApiErrors.Message(ex)}");
            Logger.LogWarning(ex, "deleting job {Namespace}/{Job} of cron job {CronJob} failed", job.Metadata.NamespaceProperty, job.Metadata.Name, cronJob.Metadata.Name);
            return false;
        }

        DeleteFromActiveList(cronJob, job.Metadata.Uid);
        _events.Event(cronJob, "Normal", "SuccessfulDelete", $"Deleted job {job.Metadata.Name}");
        return true;
    }
}
