using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.ReplicaSet;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.ReplicaSet;

public sealed class ReplicaSetControllerTests : IDisposable
{
    private const string Key = "ns-1/web";
    private const string Uid = "rs-uid";
    private const string Pods = "/api/v1/namespaces/ns-1/pods";
    private const string Status = "/apis/apps/v1/namespaces/ns-1/replicasets/web/status";
    private static readonly DateTime _start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(_start);
    private readonly TestInformer<V1ReplicaSet> _replicaSets = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly ReplicaSetController _controller;

    public ReplicaSetControllerTests() =>
        _controller = new(_api.Client, _replicaSets.Informer, _pods.Informer, _events, _time, NullLogger<ReplicaSetController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NoPods_CreatesReplicasFromTheTemplateOwnedByTheReplicaSet()
    {
        _replicaSets.Add(ReplicaSetObject(3));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var created = _api.Requests.Where(r => r.ToString() == $"POST {Pods}").Select(r => r.BodyAs<V1Pod>()).ToList();
        Assert.Equal(3, created.Count);
        Assert.All(created, pod =>
        {
            Assert.Equal("web-", pod.Metadata.GenerateName);
            Assert.Equal("web", pod.Metadata.Labels["app"]);
            Assert.Equal("nginx", pod.Spec.Containers.Single().Image);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("apps/v1", "ReplicaSet", "web", Uid, true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        });
        var events = _events.Events;
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(("Normal", "SuccessfulCreate", "apps/v1", "ReplicaSet", "web", Uid), (e.Type, e.Reason, e.InvolvedObject.ApiVersion, e.InvolvedObject.Kind, e.InvolvedObject.Name, e.InvolvedObject.Uid)));
        Assert.All(events, e => Assert.StartsWith("Created pod: ", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_CreationsNotYetInTheCache_DoesNotCreateTwice()
    {
        _replicaSets.Add(ReplicaSetObject(3));

        await _controller.SyncAsync(Key, CancellationToken.None);
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(3, _api.Calls.Count(c => c == $"POST {Pods}"));
    }

    [Fact]
    public async Task SyncAsync_CreationsObservedThenOneDeleted_CreatesOneReplacement()
    {
        _replicaSets.Add(ReplicaSetObject(3));
        await _controller.SyncAsync(Key, CancellationToken.None);
        var pods = Enumerable.Range(0, 3).Select(i => PodObject($"web-{i}", owned: true)).ToList();
        _pods.Add(pods);
        _pods.Delete(pods[0]);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(4, _api.Calls.Count(c => c == $"POST {Pods}"));
    }

    [Fact]
    public async Task SyncAsync_CreationsNeverObserved_CreatesAgainAfterTheExpectationsExpire()
    {
        _replicaSets.Add(ReplicaSetObject(1));
        await _controller.SyncAsync(Key, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(2, _api.Calls.Count(c => c == $"POST {Pods}"));
    }

    [Fact]
    public async Task SyncAsync_CreationRefused_StopsAfterTheFirstBatchAndRetries()
    {
        _replicaSets.Add(ReplicaSetObject(10));
        _api.Fail(HttpMethod.Post, Pods, HttpStatusCode.Forbidden, "Forbidden");

        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync(Key, CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync(Key, CancellationToken.None));

        // One attempt per sync: the refused creation is not waited for.
        Assert.Equal(2, _api.Calls.Count(c => c == $"POST {Pods}"));
    }

    [Fact]
    public async Task SyncAsync_CreationRefused_ReplicaFailureConditionAndFailedCreateEvent_ClearedOnceCreationsWork()
    {
        _replicaSets.Add(ReplicaSetObject(1));
        _api.Fail(HttpMethod.Post, Pods, HttpStatusCode.Forbidden, "exceeded quota");

        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync(Key, CancellationToken.None));

        var failed = _api.Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1ReplicaSet>().Status;
        var condition = Assert.Single(failed.Conditions);
        Assert.Equal(("ReplicaFailure", "True", "FailedCreate", "exceeded quota"), (condition.Type, condition.Status, condition.Reason, condition.Message));
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Warning", "FailedCreate", "Error creating: exceeded quota"));

        var rs = ReplicaSetObject(1);
        rs.Status = failed;
        _replicaSets.Add(rs);
        _pods.Add(PodObject("web-1", owned: true));
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1ReplicaSet>().Status.Conditions ?? []);
    }

    [Fact]
    public async Task SyncAsync_TooManyPods_DeletesUnassignedThenPendingThenNotReadyThenNewest()
    {
        _replicaSets.Add(ReplicaSetObject(2));
        _pods.Add(
            PodObject("ready-old", owned: true, node: "n", phase: "Running", readySince: _start.AddMinutes(-10)),
            PodObject("pending", owned: true, node: "n", phase: "Pending"),
            PodObject("ready-new", owned: true, node: "n", phase: "Running", readySince: _start.AddMinutes(-1)),
            PodObject("unassigned", owned: true, phase: "Pending"),
            PodObject("not-ready", owned: true, node: "n", phase: "Running"),
            PodObject("ready-older", owned: true, node: "n", phase: "Running", readySince: _start.AddMinutes(-20)));
        foreach (var pod in _pods.Informer.Cache.List())
        {
            // The API server answers a pod deletion with the pod.
            _api.Answer(HttpMethod.Delete, $"{Pods}/{pod.Metadata.Name}", HttpStatusCode.OK, pod);
        }

        await _controller.SyncAsync(Key, CancellationToken.None);

        var deleted = _api.Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"DELETE {Pods}/not-ready", $"DELETE {Pods}/pending", $"DELETE {Pods}/ready-new", $"DELETE {Pods}/unassigned"], deleted);
        var messages = _events.Events.Select(e => $"{e.Reason} {e.Message}").Order(StringComparer.Ordinal);
        Assert.Equal(["SuccessfulDelete Deleted pod: not-ready", "SuccessfulDelete Deleted pod: pending", "SuccessfulDelete Deleted pod: ready-new", "SuccessfulDelete Deleted pod: unassigned"], messages);
    }

    [Fact]
    public async Task SyncAsync_TerminatingAndFinishedPods_AreNotCounted()
    {
        _replicaSets.Add(ReplicaSetObject(2));
        var terminating = PodObject("terminating", owned: true, node: "n", phase: "Running");
        terminating.Metadata.DeletionTimestamp = _start;
        _pods.Add(PodObject("running", owned: true, node: "n", phase: "Running"), PodObject("done", owned: true, node: "n", phase: "Succeeded"), terminating);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(1, _api.Calls.Count(c => c == $"POST {Pods}"));
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_OrphanMatchingTheSelector_IsAdoptedAndCounted()
    {
        _replicaSets.Add(ReplicaSetObject(1));
        _pods.Add(PodObject("orphan", owned: false, node: "n", phase: "Running"), PodObject("other", owned: false, labels: new() { ["app"] = "db" }));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var patch = Assert.Single(_api.Requests, r => r.Method == "PATCH");
        Assert.Equal($"{Pods}/orphan", patch.PathAndQuery);
        Assert.Contains("\"controller\":true", patch.Body, StringComparison.Ordinal);
        Assert.Contains($"\"uid\":\"{Uid}\"", patch.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {Pods}");
    }

    [Fact]
    public async Task SyncAsync_OwnedPodNoLongerMatching_IsReleasedAndReplaced()
    {
        _replicaSets.Add(ReplicaSetObject(1));
        _pods.Add(PodObject("relabelled", owned: true, node: "n", phase: "Running", labels: new() { ["app"] = "debug" }));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var patch = Assert.Single(_api.Requests, r => r.Method == "PATCH");
        Assert.Equal($"{Pods}/relabelled", patch.PathAndQuery);
        Assert.Contains("\"$patch\":\"delete\"", patch.Body, StringComparison.Ordinal);
        Assert.Equal(1, _api.Calls.Count(c => c == $"POST {Pods}"));
    }

    [Fact]
    public async Task SyncAsync_PodsReady_StatusCountsReadyAndAvailableAfterMinReadySeconds()
    {
        var rs = ReplicaSetObject(3);
        rs.Spec.MinReadySeconds = 30;
        rs.Metadata.Generation = 4;
        _replicaSets.Add(rs);
        _pods.Add(
            PodObject("a", owned: true, node: "n", phase: "Running", readySince: _start.AddMinutes(-1)),
            PodObject("b", owned: true, node: "n", phase: "Running", readySince: _start.AddSeconds(-5)),
            PodObject("c", owned: true, node: "n", phase: "Running", labels: new() { ["app"] = "web" }));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        var status = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {Status}").BodyAs<V1ReplicaSet>().Status;
        Assert.Equal((3, 2, 2, 1, 4L), (status.Replicas, status.FullyLabeledReplicas, status.ReadyReplicas, status.AvailableReplicas, status.ObservedGeneration));
        Assert.Equal(SyncResult.Requeue(TimeSpan.FromSeconds(30)), result);
    }

    [Fact]
    public async Task SyncAsync_StatusUnchanged_WritesNothing()
    {
        var rs = ReplicaSetObject(1);
        rs.Metadata.Generation = 1;
        rs.Status = new V1ReplicaSetStatus { Replicas = 1, FullyLabeledReplicas = 1, ReadyReplicas = 1, AvailableReplicas = 1, ObservedGeneration = 1 };
        _replicaSets.Add(rs);
        _pods.Add(PodObject("a", owned: true, node: "n", phase: "Running", readySince: _start));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_StatusWriteConflicts_ReadsTheReplicaSetAfreshAndWritesOnceMore()
    {
        var rs = ReplicaSetObject(1);
        rs.Metadata.ResourceVersion = "5";
        _replicaSets.Add(rs);
        _pods.Add(PodObject("a", owned: true, node: "n", phase: "Running", readySince: _start));
        var latest = ReplicaSetObject(1);
        latest.Metadata.ResourceVersion = "7";
        _api.Fail(HttpMethod.Put, Status, HttpStatusCode.Conflict, "Conflict");
        _api.Answer(HttpMethod.Get, "/apis/apps/v1/namespaces/ns-1/replicasets/web", HttpStatusCode.OK, latest);

        // The fake conflicts on every write: the second one fails the sync (into backoff), as upstream's would.
        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync(Key, CancellationToken.None));

        Assert.Equal(
            [$"PUT {Status}", "GET /apis/apps/v1/namespaces/ns-1/replicasets/web", $"PUT {Status}"],
            _api.Calls.Where(c => !c.StartsWith("POST", StringComparison.Ordinal)));
        var retried = _api.Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1ReplicaSet>();
        Assert.Equal(("7", 1), (retried.Metadata.ResourceVersion, retried.Status.ReadyReplicas));
    }

    [Fact]
    public async Task Handlers_OwnedPodDeletedOrOrphanAdded_QueueTheReplicaSet()
    {
        _replicaSets.Add(ReplicaSetObject(1));
        Assert.Equal(Key, await _controller.TakeAsync());
        var owned = PodObject("owned", owned: true);
        _pods.Add(owned);
        Assert.Equal(Key, await _controller.TakeAsync());

        _pods.Delete(owned);
        Assert.Equal(Key, await _controller.TakeAsync());
        _pods.Add(PodObject("orphan", owned: false));
        Assert.Equal(Key, await _controller.TakeAsync());
    }

    private static V1ReplicaSet ReplicaSetObject(int replicas) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1", Uid = Uid },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
            },
        },
    };

    private static V1Pod PodObject(string name, bool owned, string? node = null, string phase = "Pending", DateTime? readySince = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns-1",
            Uid = $"uid-{name}",
            Labels = labels ?? new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" },
            CreationTimestamp = _start.AddHours(-1),
            OwnerReferences = owned ? [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = Uid, Controller = true }] : null,
        },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "web", Image = "nginx" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = readySince is null ? "False" : "True", LastTransitionTime = readySince }],
        },
    };
}
