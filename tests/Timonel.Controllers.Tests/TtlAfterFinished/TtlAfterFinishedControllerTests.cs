using System.Globalization;
using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.TtlAfterFinished;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.TtlAfterFinished;

public sealed class TtlAfterFinishedControllerTests : IDisposable
{
    private const string Key = "ns-1/migrate";
    private const string JobPath = "/apis/batch/v1/namespaces/ns-1/jobs/migrate";
    private static readonly DateTimeOffset _finished = DateTimeOffset.Parse("2026-01-05T10:00:00Z", CultureInfo.InvariantCulture);
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(_finished);
    private readonly TestInformer<V1Job> _jobs = new();
    private readonly TtlAfterFinishedController _controller;

    public TtlAfterFinishedControllerTests() =>
        _controller = new(_api.Client, _jobs.Informer, _time, NullLogger<TtlAfterFinishedController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_FinishedJobBeforeItsTtl_DeletesNothingAndRequeuesForTheExpiry()
    {
        _jobs.Add(JobObject(ttl: 100, "Complete"));
        _time.Advance(TimeSpan.FromSeconds(40));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Equal(TimeSpan.FromSeconds(60), result.RequeueAfter);
    }

    [Theory]
    [InlineData("Complete")]
    [InlineData("Failed")]
    public async Task SyncAsync_TtlExpired_DeletesTheFreshJobInForegroundWithItsUid(string condition)
    {
        var job = JobObject(ttl: 100, condition);
        _jobs.Add(job);
        _api.Answer(HttpMethod.Get, JobPath, HttpStatusCode.OK, job);
        _time.Advance(TimeSpan.FromSeconds(100));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal([$"GET {JobPath}", $"DELETE {JobPath}"], _api.Calls);
        var options = _api.Requests[1].BodyAs<V1DeleteOptions>();
        Assert.Equal(("Foreground", "job-uid"), (options.PropagationPolicy, options.Preconditions.Uid));
    }

    [Fact]
    public async Task SyncAsync_TtlRaisedSinceTheCacheSawIt_DeletesNothingAndRequeues()
    {
        _jobs.Add(JobObject(ttl: 100, "Complete"));
        _api.Answer(HttpMethod.Get, JobPath, HttpStatusCode.OK, JobObject(ttl: 300, "Complete"));
        _time.Advance(TimeSpan.FromSeconds(150));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(150), result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_RunningJobOrNoTtl_IsLeftAlone()
    {
        _jobs.Add(JobObject(ttl: 0, condition: null));
        var result = await _controller.SyncAsync(Key, CancellationToken.None);
        _jobs.Add(JobObject(ttl: null, "Complete"));
        var withoutTtl = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Null(result.RequeueAfter);
        Assert.Null(withoutTtl.RequeueAfter);
    }

    [Fact]
    public async Task Handlers_FinishedJobWithTtl_IsQueuedAndOthersAreNot()
    {
        _jobs.Add(JobObject(ttl: 5, condition: null));
        Assert.Equal(0, _controller.Queue.Len);

        _jobs.Add(JobObject(ttl: 5, "Complete"));

        Assert.Equal(Key, await _controller.TakeAsync());
    }

    private static V1Job JobObject(int? ttl, string? condition) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = "migrate", NamespaceProperty = "ns-1", Uid = "job-uid" },
        Spec = new V1JobSpec { TtlSecondsAfterFinished = ttl, Template = new V1PodTemplateSpec() },
        Status = new V1JobStatus
        {
            Conditions = condition is null ? null : [new V1JobCondition { Type = condition, Status = "True", LastTransitionTime = _finished.UtcDateTime }],
        },
    };
}
