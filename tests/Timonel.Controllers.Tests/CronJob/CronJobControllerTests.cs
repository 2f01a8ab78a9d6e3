using System.Globalization;
using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.CronJob;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.CronJob;

public sealed class CronJobControllerTests : IDisposable
{
    private const string Key = "ns-1/report";
    private const string Uid = "cj-uid";
    private const string Jobs = "/apis/batch/v1/namespaces/ns-1/jobs";
    private const string Status = "/apis/batch/v1/namespaces/ns-1/cronjobs/report/status";
    private static readonly DateTimeOffset _created = Time("2026-01-05T10:02:00Z");
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(_created);
    private readonly TestInformer<V1CronJob> _cronJobs = new();
    private readonly TestInformer<V1Job> _jobs = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly CronJobController _controller;

    public CronJobControllerTests() =>
        _controller = new(_api.Client, _cronJobs.Informer, _jobs.Informer, _events, _time, NullLogger<CronJobController>.Instance, TimeZoneInfo.Utc);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ScheduleTimeDue_CreatesTheJobNamedAfterTheTimeAndRecordsItActive()
    {
        _cronJobs.Add(CronJobObject("*/5 * * * *"));
        _time.SetUtcNow(Time("2026-01-05T10:05:30Z"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        var job = Assert.Single(Created());
        var minutes = Time("2026-01-05T10:05:00Z").ToUnixTimeSeconds() / 60;
        Assert.Equal($"report-{minutes}", job.Metadata.Name);
        Assert.Equal("2026-01-05T10:05:00Z", job.Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
        Assert.Equal("nightly", job.Metadata.Labels["app"]);
        Assert.Equal("busybox", job.Spec.Template.Spec.Containers.Single().Image);
        var owner = Assert.Single(job.Metadata.OwnerReferences);
        Assert.Equal(("batch/v1", "CronJob", "report", Uid, true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var status = LastStatus();
        Assert.Equal($"report-{minutes}", Assert.Single(status.Active).Name);
        Assert.Equal(Time("2026-01-05T10:05:00Z"), new DateTimeOffset(status.LastScheduleTime!.Value.ToUniversalTime()));
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Normal", "SuccessfulCreate", $"Created job report-{minutes}"));
        Assert.Equal(TimeSpan.FromSeconds(270.1), result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_NothingDue_WritesNothingAndRequeuesJustAfterTheNextTime()
    {
        _cronJobs.Add(CronJobObject("*/5 * * * *"));
        _time.SetUtcNow(Time("2026-01-05T10:03:00Z"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Equal(TimeSpan.FromSeconds(120.1), result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_TimeZone_RunsAtTheZonesWallClockAcrossDstAndAnnotatesInThatZone()
    {
        // 2026-03-08 is the day New York moves to EDT: 09:00 local is 13:00 UTC that day, 14:00 UTC the day before.
        var cronJob = CronJobObject("0 9 * * *", created: Time("2026-03-07T15:00:00Z"));
        cronJob.Spec.TimeZone = "America/New_York";
        _cronJobs.Add(cronJob);
        _time.SetUtcNow(Time("2026-03-08T13:00:30Z"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        var job = Assert.Single(Created());
        Assert.Equal("2026-03-08T09:00:00-04:00", job.Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
        Assert.Equal(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(100), result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_MoreThanAHundredMissed_WarnsAndStillRunsTheMostRecent()
    {
        _cronJobs.Add(CronJobObject("* * * * *"));
        _time.SetUtcNow(Time("2026-01-05T13:02:10Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"));
        var job = Assert.Single(Created());
        Assert.Equal("2026-01-05T13:02:00Z", job.Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
    }

    [Fact]
    public async Task SyncAsync_AHundredMissed_RunsTheMostRecentWithoutWarning()
    {
        _cronJobs.Add(CronJobObject("* * * * *"));
        _time.SetUtcNow(Time("2026-01-05T11:42:10Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.DoesNotContain(_events.Events, e => e.Reason == "TooManyMissedTimes");
        Assert.Equal("2026-01-05T11:42:00Z", Assert.Single(Created()).Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
    }

    [Fact]
    public async Task SyncAsync_LastTimeOutsideTheStartingDeadline_IsNotRunAndWaitsForTheNext()
    {
        var cronJob = CronJobObject("0 * * * *");
        cronJob.Spec.StartingDeadlineSeconds = 300;
        _cronJobs.Add(cronJob);
        _time.SetUtcNow(Time("2026-01-05T11:30:00Z"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(Created());
        Assert.Equal(TimeSpan.FromMinutes(30) + TimeSpan.FromMilliseconds(100), result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_LastTimeWithinTheStartingDeadline_IsRun()
    {
        var cronJob = CronJobObject("0 * * * *");
        cronJob.Spec.StartingDeadlineSeconds = 300;
        _cronJobs.Add(cronJob);
        _time.SetUtcNow(Time("2026-01-05T11:04:00Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal("2026-01-05T11:00:00Z", Assert.Single(Created()).Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
    }

    [Fact]
    public async Task SyncAsync_AlreadyScheduledThatTime_CreatesNothing()
    {
        var cronJob = CronJobObject("*/5 * * * *");
        cronJob.Status = new V1CronJobStatus { LastScheduleTime = Time("2026-01-05T10:05:00Z").UtcDateTime };
        _cronJobs.Add(cronJob);
        _time.SetUtcNow(Time("2026-01-05T10:06:00Z"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Equal(TimeSpan.FromSeconds(240.1), result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_Suspended_CreatesNothingAndDoesNotRequeue()
    {
        var cronJob = CronJobObject("*/5 * * * *");
        cronJob.Spec.Suspend = true;
        _cronJobs.Add(cronJob);
        _time.SetUtcNow(Time("2026-01-05T10:05:30Z"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Null(result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_ForbidWithAJobRunning_SkipsTheTimeWithJobAlreadyActive()
    {
        var cronJob = RunningCronJob("Forbid", out var running);
        _cronJobs.Add(cronJob);
        _jobs.Add(running);
        _time.SetUtcNow(Time("2026-01-05T10:10:30Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(Created());
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"));
    }

    [Fact]
    public async Task SyncAsync_AllowWithAJobRunning_RunsBothConcurrently()
    {
        var cronJob = RunningCronJob("Allow", out var running);
        _cronJobs.Add(cronJob);
        _jobs.Add(running);
        _time.SetUtcNow(Time("2026-01-05T10:10:30Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Single(Created());
        Assert.Equal(2, LastStatus().Active.Count);
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_ReplaceWithAJobRunning_DeletesItThenCreatesTheNewOne()
    {
        var cronJob = RunningCronJob("Replace", out var running);
        _cronJobs.Add(cronJob);
        _jobs.Add(running);
        _api.Answer(HttpMethod.Get, $"{Jobs}/{running.Metadata.Name}", HttpStatusCode.OK, running);
        _time.SetUtcNow(Time("2026-01-05T10:10:30Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var calls = _api.Calls.Where(c => !c.StartsWith("GET", StringComparison.Ordinal)).ToList();
        Assert.StartsWith($"DELETE {Jobs}/{running.Metadata.Name}", calls[0], StringComparison.Ordinal);
        Assert.Equal($"POST {Jobs}", calls[1]);
        var active = Assert.Single(LastStatus().Active);
        Assert.NotEqual(running.Metadata.Name, active.Name);
        Assert.Contains(_events.Events, e => (e.Reason, e.Message) == ("SuccessfulDelete", $"Deleted job {running.Metadata.Name}"));
    }

    [Fact]
    public async Task SyncAsync_ActiveJobFinished_LeavesTheActiveListWithSawCompletedJobThenSetsLastSuccessfulTime()
    {
        var cronJob = RunningCronJob("Allow", out var running);
        _cronJobs.Add(cronJob);
        Finish(running, "Complete", Time("2026-01-05T10:06:00Z"));
        _jobs.Add(running);
        _time.SetUtcNow(Time("2026-01-05T10:07:00Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);
        var first = LastStatus();

        // As upstream: the sync that sees the Job finish takes it off the list; the next one counts its success.
        _cronJobs.Add(_api.Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1CronJob>());
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Null(first.Active);
        Assert.Equal(Time("2026-01-05T10:06:00Z"), new DateTimeOffset(LastStatus().LastSuccessfulTime!.Value.ToUniversalTime()));
        Assert.Single(_events.Events, e => e.Reason == "SawCompletedJob");
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Normal", "SawCompletedJob", $"Saw completed job: {running.Metadata.Name}, condition: Complete"));
    }

    [Fact]
    public async Task SyncAsync_MoreFinishedJobsThanTheHistoryLimits_DeletesTheOldestInTheBackground()
    {
        _cronJobs.Add(CronJobObject("*/5 * * * *"));
        var complete = Enumerable.Range(0, 5).Select(i => OwnedJob($"report-c{i}", $"uid-c{i}", Time("2026-01-05T10:00:00Z").AddMinutes(-i))).ToList();
        var failed = Enumerable.Range(0, 2).Select(i => OwnedJob($"report-f{i}", $"uid-f{i}", Time("2026-01-05T10:00:00Z").AddMinutes(-i))).ToList();
        complete.ForEach(j => Finish(j, "Complete", Time("2026-01-05T10:01:00Z")));
        failed.ForEach(j => Finish(j, "Failed", Time("2026-01-05T10:01:00Z")));
        _jobs.Add([.. complete, .. failed]);
        _time.SetUtcNow(Time("2026-01-05T10:03:00Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var deleted = _api.Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"DELETE {Jobs}/report-c4?propagationPolicy=Background", $"DELETE {Jobs}/report-c3?propagationPolicy=Background", $"DELETE {Jobs}/report-f1?propagationPolicy=Background"],
            deleted);
        Assert.Equal(3, _events.Events.Count(e => e.Reason == "SuccessfulDelete"));
    }

    [Fact]
    public async Task SyncAsync_ActiveJobGone_ReportsMissingJobAndForgetsIt()
    {
        var cronJob = RunningCronJob("Allow", out var running);
        _cronJobs.Add(cronJob);
        _time.SetUtcNow(Time("2026-01-05T10:07:00Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Null(LastStatus().Active);
        Assert.Contains(_events.Events, e => (e.Reason, e.Message) == ("MissingJob", $"Active job went missing: {running.Metadata.Name}"));
    }

    [Fact]
    public async Task SyncAsync_RunningJobNotInTheActiveList_ReportsUnexpectedJob()
    {
        var cronJob = CronJobObject("*/5 * * * *");
        _cronJobs.Add(cronJob);
        _api.Answer(HttpMethod.Get, "/apis/batch/v1/namespaces/ns-1/cronjobs/report", HttpStatusCode.OK, cronJob);
        _jobs.Add(OwnedJob("report-stray", "uid-stray", Time("2026-01-05T10:02:30Z")));
        _time.SetUtcNow(Time("2026-01-05T10:03:00Z"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Warning", "UnexpectedJob", "Saw a job that the controller did not create or forgot: report-stray"));
    }

    [Fact]
    public async Task SyncAsync_JobAlreadyCreatedByAnEarlierSync_AdoptsItIntoTheActiveList()
    {
        _cronJobs.Add(CronJobObject("*/5 * * * *"));
        _time.SetUtcNow(Time("2026-01-05T10:05:30Z"));
        var name = $"report-{Time("2026-01-05T10:05:00Z").ToUnixTimeSeconds() / 60}";
        _api.Fail(HttpMethod.Post, Jobs, HttpStatusCode.Conflict, "AlreadyExists");
        _api.Answer(HttpMethod.Get, $"{Jobs}/{name}", HttpStatusCode.OK, OwnedJob(name, "uid-existing", Time("2026-01-05T10:05:00Z")));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal("uid-existing", Assert.Single(LastStatus().Active).Uid);
        Assert.DoesNotContain(_events.Events, e => e.Reason == "SuccessfulCreate");
    }

    [Fact]
    public async Task SyncAsync_ScheduleThatNeverComes_ReportsInvalidSchedule()
    {
        _cronJobs.Add(CronJobObject("0 0 31 2 *"));
        _time.SetUtcNow(Time("2026-01-05T10:05:30Z"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Null(result.RequeueAfter);
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Warning", "InvalidSchedule", "invalid schedule: 0 0 31 2 * : time difference between two schedules is less than 1 second"));
    }

    [Fact]
    public async Task SyncAsync_TimeComesOnTheFakeClock_RequeuedKeyCreatesTheJob()
    {
        _cronJobs.Add(CronJobObject("*/5 * * * *"));
        _time.SetUtcNow(Time("2026-01-05T10:04:00Z"));
        await _controller.TakeAsync();
        var first = await _controller.SyncAsync(Key, CancellationToken.None);
        _controller.Queue.AddAfter(Key, first.RequeueAfter!.Value);

        _time.Advance(first.RequeueAfter.Value);
        await _controller.TakeAsync();
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal("2026-01-05T10:05:00Z", Assert.Single(Created()).Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static V1CronJob CronJobObject(string schedule, DateTimeOffset? created = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "CronJob",
        Metadata = new V1ObjectMeta { Name = "report", NamespaceProperty = "ns-1", Uid = Uid, CreationTimestamp = (created ?? _created).UtcDateTime },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            ConcurrencyPolicy = "Allow",
            SuccessfulJobsHistoryLimit = 3,
            FailedJobsHistoryLimit = 1,
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "nightly" } },
                Spec = new V1JobSpec
                {
                    Template = new V1PodTemplateSpec
                    {
                        Spec = new V1PodSpec { RestartPolicy = "OnFailure", Containers = [new V1Container { Name = "report", Image = "busybox" }] },
                    },
                },
            },
        },
    };

    private static V1Job OwnedJob(string name, string uid, DateTimeOffset started) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns-1",
            Uid = uid,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "CronJob", Name = "report", Uid = Uid, Controller = true }],
        },
        Status = new V1JobStatus { StartTime = started.UtcDateTime },
    };

    private static void Finish(V1Job job, string condition, DateTimeOffset at)
    {
        job.Status.Conditions = [new V1JobCondition { Type = condition, Status = "True", LastTransitionTime = at.UtcDateTime }];
        job.Status.CompletionTime = condition == "Complete" ? at.UtcDateTime : null;
    }

    // A cron job whose 10:05 Job is still running at 10:10.
    private static V1CronJob RunningCronJob(string policy, out V1Job running)
    {
        var cronJob = CronJobObject("*/5 * * * *");
        cronJob.Spec.ConcurrencyPolicy = policy;
        var name = $"report-{Time("2026-01-05T10:05:00Z").ToUnixTimeSeconds() / 60}";
        running = OwnedJob(name, "uid-running", Time("2026-01-05T10:05:00Z"));
        cronJob.Status = new V1CronJobStatus
        {
            LastScheduleTime = Time("2026-01-05T10:05:00Z").UtcDateTime,
            Active = [new V1ObjectReference { ApiVersion = "batch/v1", Kind = "Job", Name = name, NamespaceProperty = "ns-1", Uid = "uid-running" }],
        };
        return cronJob;
    }

    private List<V1Job> Created() => [.. _api.Requests.Where(r => r.ToString() == $"POST {Jobs}").Select(r => r.BodyAs<V1Job>())];

    private V1CronJobStatus LastStatus() => _api.Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1CronJob>().Status;
}
