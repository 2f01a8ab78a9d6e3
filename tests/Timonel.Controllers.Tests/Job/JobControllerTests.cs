using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Job;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.Job;

public sealed class JobControllerTests : IDisposable
{
    private const string Key = "ns-1/pi";
    private const string Uid = "job-uid";
    private const string Pods = "/api/v1/namespaces/ns-1/pods";
    private const string Status = "/apis/batch/v1/namespaces/ns-1/jobs/pi/status";
    private const string Finalizer = "batch.kubernetes.io/job-tracking";
    private static readonly DateTime _start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(_start);
    private readonly TestInformer<V1Job> _jobs = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly JobController _controller;

    public JobControllerTests() =>
        _controller = new(_api.Client, _jobs.Informer, _pods.Informer, _events, _time, NullLogger<JobController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NewJob_CreatesParallelismPodsWithTheTrackingFinalizerOwnedByTheJob()
    {
        _jobs.Add(JobObject(completions: 5, parallelism: 2));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var created = Created();
        Assert.Equal(2, created.Count);
        Assert.All(created, pod =>
        {
            Assert.Equal("pi-", pod.Metadata.GenerateName);
            Assert.Equal(Uid, pod.Metadata.Labels["batch.kubernetes.io/controller-uid"]);
            Assert.Equal("pi", pod.Metadata.Labels["job-name"]);
            Assert.Equal([Finalizer], pod.Metadata.Finalizers);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("batch/v1", "Job", "pi", Uid, true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        });
        Assert.Equal(2, _events.Events.Count(e => e.Reason == "SuccessfulCreate" && e.Message.StartsWith("Created pod: ", StringComparison.Ordinal)));
        var status = LastStatus();
        Assert.Equal((2, 0, _start), (status.Active, status.Ready, status.StartTime));
    }

    [Fact]
    public async Task SyncAsync_FewerCompletionsLeftThanParallelism_CreatesOnlyTheMissingOnes()
    {
        var job = JobObject(completions: 3, parallelism: 5);
        job.Status = new V1JobStatus { Succeeded = 2, StartTime = _start };
        _jobs.Add(job);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Single(Created());
    }

    [Fact]
    public async Task SyncAsync_CreationsNotYetInTheCache_DoesNotCreateTwice()
    {
        _jobs.Add(JobObject(completions: 5, parallelism: 2));

        await _controller.SyncAsync(Key, CancellationToken.None);
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(2, Created().Count);
    }

    [Fact]
    public async Task SyncAsync_PodSucceeded_CountedThroughUncountedPodsThenItsFinalizerRemoved()
    {
        _jobs.Add(JobObject(completions: 2, parallelism: 1));
        _pods.Add(PodObject("pi-a", "Succeeded", exitCode: 0));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var writes = _api.Requests.Where(r => r.Method is "PUT" or "PATCH").Select(r => r.ToString()).ToList();
        Assert.Equal([$"PUT {Status}", $"PATCH {Pods}/pi-a", $"PUT {Status}"], writes.Take(3));
        var statuses = Statuses();
        Assert.Equal(["uid-pi-a"], statuses[0].UncountedTerminatedPods.Succeeded);
        Assert.Null(statuses[0].Succeeded);
        Assert.Equal(1, statuses[1].Succeeded);
        Assert.Null(statuses[1].UncountedTerminatedPods.Succeeded);
        Assert.Contains("$deleteFromPrimitiveList/finalizers", _api.Requests.Single(r => r.Method == "PATCH").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAsync_UncountedPodWhoseFinalizerIsGone_MovedIntoTheCounters()
    {
        var job = JobObject(completions: 3, parallelism: 1);
        job.Status = new V1JobStatus { StartTime = _start, Succeeded = 1, UncountedTerminatedPods = new V1UncountedTerminatedPods { Succeeded = ["uid-pi-a"], Failed = ["uid-pi-b"] } };
        _jobs.Add(job);
        var counted = PodObject("pi-a", "Succeeded", exitCode: 0);
        counted.Metadata.Finalizers = null;
        _pods.Add(counted);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = Statuses().First();
        Assert.Equal((2, 1), (status.Succeeded, status.Failed));
        Assert.Null(status.UncountedTerminatedPods.Succeeded);
        Assert.Null(status.UncountedTerminatedPods.Failed);
    }

    [Fact]
    public async Task SyncAsync_PodWithFinalizerOfAFinishedJob_FinalizerRemovedThroughTheOrphanKey()
    {
        var job = JobObject(completions: 1, parallelism: 1);
        job.Status = new V1JobStatus { Conditions = [new V1JobCondition { Type = "Failed", Status = "True" }] };
        _jobs.Add(job);
        _pods.Add(PodObject("pi-a", "Failed", exitCode: 1));

        await _controller.SyncAsync("orphan/ns-1/pi-a", CancellationToken.None);

        Assert.Equal([$"PATCH {Pods}/pi-a"], _api.Calls);
    }

    [Fact]
    public async Task SyncAsync_LastCompletionSucceeded_SuccessCriteriaMetThenCompleteWithCompletionTime()
    {
        _jobs.Add(JobObject(completions: 1, parallelism: 1));
        _pods.Add(PodObject("pi-a", "Succeeded", exitCode: 0));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = LastStatus();
        Assert.Equal(
            [("SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods"), ("Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods")],
            status.Conditions.Select(c => (c.Type, c.Status, c.Reason, c.Message)));
        Assert.Equal(_start, status.CompletionTime);
        Assert.Equal((1, null), (status.Succeeded, status.Active));
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Normal", "Completed", "Job completed"));
    }

    [Fact]
    public async Task SyncAsync_FinishedJob_DoesNothing()
    {
        var job = JobObject(completions: 1, parallelism: 1);
        job.Status = new V1JobStatus { Conditions = [new V1JobCondition { Type = "Complete", Status = "True" }] };
        _jobs.Add(job);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task SyncAsync_FailuresBeyondBackoffLimit_FailureTargetThenFailedWithBackoffLimitExceeded()
    {
        _jobs.Add(JobObject(completions: 1, parallelism: 1, backoffLimit: 0));
        _pods.Add(PodObject("pi-a", "Failed", exitCode: 1));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = LastStatus();
        Assert.Equal(
            [("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"), ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")],
            status.Conditions.Select(c => (c.Type, c.Reason, c.Message)));
        Assert.Equal(1, status.Failed);
        Assert.Empty(Created());
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
    }

    [Fact]
    public async Task SyncAsync_PodFailed_ReplacementWaitsTenSecondsThenTwentyAfterTheNextFailure()
    {
        _jobs.Add(JobObject(completions: 1, parallelism: 1, backoffLimit: 6));
        _pods.Add(PodObject("pi-a", "Failed", exitCode: 1, finishedAt: _start));

        var first = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(Created());
        Assert.Equal(TimeSpan.FromSeconds(10), first.RequeueAfter);

        _time.Advance(TimeSpan.FromSeconds(10));
        await _controller.SyncAsync(Key, CancellationToken.None);
        Assert.Single(Created());

        _pods.Add(PodObject("pi-b", "Failed", exitCode: 1, finishedAt: _time.GetUtcNow().UtcDateTime));
        var second = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Single(Created());
        Assert.Equal(TimeSpan.FromSeconds(20), second.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_ActiveDeadlinePassed_DeletesActivePodsThenFailsWithDeadlineExceeded()
    {
        var job = JobObject(completions: 1, parallelism: 1, activeDeadlineSeconds: 10);
        job.Status = new V1JobStatus { StartTime = _start.AddSeconds(-30), Active = 1 };
        _jobs.Add(job);
        var running = Deletable(PodObject("pi-a", "Running"));
        _pods.Add(running);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Contains($"DELETE {Pods}/pi-a", _api.Calls);
        var interim = LastStatus();
        var target = Assert.Single(interim.Conditions);
        Assert.Equal(("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline"), (target.Type, target.Reason, target.Message));
        Assert.Equal((null, 1, 1), (interim.Active, interim.Terminating, interim.Failed));

        // The pod is gone: the job fails.
        job.Status = interim;
        _jobs.Add(job);
        _pods.Delete(running);
        await _controller.SyncAsync(Key, CancellationToken.None);

        var failed = LastStatus().Conditions.Last();
        Assert.Equal(("Failed", "True", "DeadlineExceeded", "Job was active longer than specified deadline"), (failed.Type, failed.Status, failed.Reason, failed.Message));
        Assert.Contains(_events.Events, e => (e.Type, e.Reason) == ("Warning", "DeadlineExceeded"));
    }

    [Fact]
    public async Task SyncAsync_ActiveDeadlineAhead_LooksAgainWhenItPasses()
    {
        var job = JobObject(completions: 1, parallelism: 1, activeDeadlineSeconds: 60);
        job.Status = new V1JobStatus { StartTime = _start.AddSeconds(-20) };
        _jobs.Add(job);

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(40), result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_PodFailurePolicyFailJobOnExitCode_FailsWithUpstreamMessage()
    {
        var job = JobObject(completions: 3, parallelism: 1);
        job.Spec.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules = [new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = "main", OperatorProperty = "In", Values = [42] } }],
        };
        _jobs.Add(job);
        _pods.Add(PodObject("pi-a", "Failed", exitCode: 42));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var conditions = LastStatus().Conditions;
        const string Message = "Container main for pod ns-1/pi-a failed with exit code 42 matching FailJob rule at index 0";
        Assert.Equal([("FailureTarget", "PodFailurePolicy", Message), ("Failed", "PodFailurePolicy", Message)], conditions.Select(c => (c.Type, c.Reason, c.Message)));
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Warning", "PodFailurePolicy", Message));
    }

    [Fact]
    public async Task SyncAsync_PodFailurePolicyIgnoreOnDisruption_FailureNotCounted()
    {
        var job = JobObject(completions: 1, parallelism: 1, backoffLimit: 0);
        job.Spec.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules = [new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }] }],
        };
        _jobs.Add(job);
        var evicted = PodObject("pi-a", "Failed", exitCode: 137);
        evicted.Status.Conditions.Add(new V1PodCondition { Type = "DisruptionTarget", Status = "True" });
        _pods.Add(evicted);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = LastStatus();
        Assert.Null(status.Failed);
        Assert.Null(status.Conditions);
        Assert.Contains($"PATCH {Pods}/pi-a", _api.Calls);
    }

    [Fact]
    public async Task SyncAsync_IndexedJob_PodsCarryTheirIndexHostnameAndEnvironment()
    {
        var job = JobObject(completions: 3, parallelism: 3);
        job.Spec.CompletionMode = "Indexed";
        _jobs.Add(job);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var created = Created().OrderBy(p => p.Metadata.Annotations["batch.kubernetes.io/job-completion-index"], StringComparer.Ordinal).ToList();
        Assert.Equal(["0", "1", "2"], created.Select(p => p.Metadata.Annotations["batch.kubernetes.io/job-completion-index"]));
        Assert.Equal(["0", "1", "2"], created.Select(p => p.Metadata.Labels["batch.kubernetes.io/job-completion-index"]));
        Assert.Equal(["pi-0-", "pi-1-", "pi-2-"], created.Select(p => p.Metadata.GenerateName));
        Assert.Equal(["pi-0", "pi-1", "pi-2"], created.Select(p => p.Spec.Hostname));
        var env = Assert.Single(created[0].Spec.Containers.Single().Env);
        Assert.Equal(("JOB_COMPLETION_INDEX", "metadata.labels['batch.kubernetes.io/job-completion-index']"), (env.Name, env.ValueFrom.FieldRef.FieldPath));
    }

    [Fact]
    public async Task SyncAsync_IndexedJobIndexesSucceeded_CompletedIndexesAndOnlyPendingIndexesCreated()
    {
        var job = JobObject(completions: 4, parallelism: 4);
        job.Spec.CompletionMode = "Indexed";
        _jobs.Add(job);
        _pods.Add(PodObject("pi-0", "Succeeded", exitCode: 0, index: 0), PodObject("pi-1", "Succeeded", exitCode: 0, index: 1), PodObject("pi-2", "Succeeded", exitCode: 0, index: 2), PodObject("pi-3", "Running", index: 3));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = LastStatus();
        Assert.Equal(("0-2", 3, 1), (status.CompletedIndexes, status.Succeeded, status.Active));
        Assert.Empty(Created());
    }

    [Fact]
    public async Task SyncAsync_SuccessPolicyMet_RemainingPodsDeletedAndJobCompletesWithSuccessPolicyReason()
    {
        var job = JobObject(completions: 3, parallelism: 3);
        job.Spec.CompletionMode = "Indexed";
        job.Spec.SuccessPolicy = new V1SuccessPolicy { Rules = [new V1SuccessPolicyRule { SucceededIndexes = "0" }] };
        _jobs.Add(job);
        var running = Deletable(PodObject("pi-1", "Running", index: 1));
        _pods.Add(PodObject("pi-0", "Succeeded", exitCode: 0, index: 0), running);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Contains($"DELETE {Pods}/pi-1", _api.Calls);
        var interim = LastStatus();
        Assert.Equal([("SuccessCriteriaMet", "SuccessPolicy", "Matched rules at index 0")], interim.Conditions.Select(c => (c.Type, c.Reason, c.Message)));
        Assert.Null(interim.Failed);

        job.Status = interim;
        _jobs.Add(job);
        _pods.Delete(running);
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(("Complete", "SuccessPolicy"), (LastStatus().Conditions.Last().Type, LastStatus().Conditions.Last().Reason));
    }

    [Fact]
    public async Task SyncAsync_Suspended_ActivePodsDeletedWithoutCountingAndSuspendedCondition()
    {
        var job = JobObject(completions: 2, parallelism: 2);
        job.Spec.Suspend = true;
        _jobs.Add(job);
        _pods.Add(Deletable(PodObject("pi-a", "Running")), Deletable(PodObject("pi-b", "Running")));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Contains($"DELETE {Pods}/pi-a", _api.Calls);
        Assert.Contains($"DELETE {Pods}/pi-b", _api.Calls);
        var status = LastStatus();
        var suspended = Assert.Single(status.Conditions);
        Assert.Equal(("Suspended", "True", "JobSuspended", "Job suspended"), (suspended.Type, suspended.Status, suspended.Reason, suspended.Message));
        Assert.Equal((null, 2, null, null), (status.Active, status.Terminating, status.Failed, status.StartTime));
        Assert.Contains(_events.Events, e => (e.Reason, e.Message) == ("Suspended", "Job suspended"));
    }

    [Fact]
    public async Task SyncAsync_Resumed_SuspendedConditionFalseAndStartTimeReset()
    {
        var job = JobObject(completions: 1, parallelism: 1);
        job.Status = new V1JobStatus
        {
            StartTime = _start.AddHours(-1),
            Conditions = [new V1JobCondition { Type = "Suspended", Status = "True", Reason = "JobSuspended", Message = "Job suspended" }],
        };
        _jobs.Add(job);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = LastStatus();
        var resumed = Assert.Single(status.Conditions);
        Assert.Equal(("Suspended", "False", "JobResumed", "Job resumed"), (resumed.Type, resumed.Status, resumed.Reason, resumed.Message));
        Assert.Equal(_start, status.StartTime);
        Assert.Single(Created());
    }

    [Fact]
    public async Task SyncAsync_PodWithFinalizerWhoseJobIsGone_FinalizerRemoved()
    {
        _pods.Add(PodObject("pi-a", "Succeeded", exitCode: 0));

        await _controller.SyncAsync("orphan/ns-1/pi-a", CancellationToken.None);

        Assert.Equal([$"PATCH {Pods}/pi-a"], _api.Calls);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2 }, "0-2")]
    [InlineData(new[] { 0, 1, 2, 4 }, "0-2,4")]
    [InlineData(new[] { 3, 4, 7, 8, 9 }, "3,4,7-9")]
    [InlineData(new int[0], "")]
    public void CompletionIndexes_ToString_WritesUpstreamIntervals(int[] indexes, string expected)
    {
        var set = new CompletionIndexes(indexes);

        Assert.Equal(expected, set.ToString());
        Assert.Equal(expected, CompletionIndexes.Parse(expected, 10).ToString());
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(10, 360)]
    public void BackoffRecord_RemainingTime_DoublesFromTenSecondsUpToSixMinutes(int failures, int seconds)
    {
        var record = new BackoffRecord(failures, _start);

        Assert.Equal(TimeSpan.FromSeconds(seconds), record.RemainingTime(_start));
        Assert.Equal(TimeSpan.Zero, record.RemainingTime(_start.AddSeconds(seconds)));
    }

    // The API server answers a deletion with the pod (being deleted).
    private V1Pod Deletable(V1Pod pod)
    {
        _api.Answer(HttpMethod.Delete, $"{Pods}/{pod.Metadata.Name}", HttpStatusCode.OK, pod);
        return pod;
    }

    private List<V1Pod> Created() => [.. _api.Requests.Where(r => r.ToString() == $"POST {Pods}").Select(r => r.BodyAs<V1Pod>())];

    private List<V1JobStatus> Statuses() => [.. _api.Requests.Where(r => r.ToString() == $"PUT {Status}").Select(r => r.BodyAs<V1Job>().Status)];

    private V1JobStatus LastStatus() => Statuses().Last();

    private static V1Job JobObject(int completions, int parallelism, int backoffLimit = 6, long? activeDeadlineSeconds = null)
    {
        var labels = new Dictionary<string, string>
        {
            ["batch.kubernetes.io/controller-uid"] = Uid,
            ["batch.kubernetes.io/job-name"] = "pi",
            ["controller-uid"] = Uid,
            ["job-name"] = "pi",
        };
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = "pi", NamespaceProperty = "ns-1", Uid = Uid },
            Spec = new V1JobSpec
            {
                Completions = completions,
                Parallelism = parallelism,
                BackoffLimit = backoffLimit,
                ActiveDeadlineSeconds = activeDeadlineSeconds,
                CompletionMode = "NonIndexed",
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = Uid } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "perl" }] },
                },
            },
        };
    }

    private static V1Pod PodObject(string name, string phase, int? exitCode = null, int? index = null, DateTime? finishedAt = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns-1",
            Uid = $"uid-{name}",
            Labels = new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = Uid },
            Annotations = index is { } i ? new Dictionary<string, string> { ["batch.kubernetes.io/job-completion-index"] = $"{i}" } : null,
            CreationTimestamp = _start.AddMinutes(-1),
            Finalizers = [Finalizer],
            OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "pi", Uid = Uid, Controller = true }],
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "perl" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = phase == "Running" ? "True" : "False" }],
            ContainerStatuses = exitCode is { } code
                ? [new V1ContainerStatus { Name = "main", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = code, FinishedAt = finishedAt ?? _start.AddSeconds(-5) } } }]
                : null,
        },
    };
}
