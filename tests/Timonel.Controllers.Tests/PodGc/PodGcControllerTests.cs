using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.PodGc;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.PodGc;

public sealed class PodGcControllerTests : IDisposable
{
    private const string Pod = "/api/v1/namespaces/ns-1/pods/web";
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly TestInformer<V1Node> _nodes = new();
    private readonly PodGcController _controller;

    public PodGcControllerTests() =>
        _controller = new(_api.Client, _pods.Informer, _nodes.Informer, _time, NullLogger<PodGcController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NodeMissingFromCache_WaitsOutTheQuarantineFirst()
    {
        _pods.Add(PodOn("gone"));

        var result = await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal(SyncResult.Requeue(PodGcController.QuarantineTime), result);
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_NodeGoneAfterQuarantine_MarksPodFailedAndForceDeletesIt()
    {
        _pods.Add(PodOn("gone"));
        // As the API server answers a delete with grace period 0: the pod as it was removed.
        _api.Answer(HttpMethod.Delete, Pod, HttpStatusCode.OK, PodOn("gone"));
        await _controller.SyncAsync("ns-1/web", CancellationToken.None);
        _time.Advance(PodGcController.QuarantineTime);

        var result = await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal(SyncResult.Done, result);
        Assert.Equal(["GET /api/v1/nodes/gone", $"PATCH {Pod}/status", $"DELETE {Pod}"], _api.Calls);
        var status = _api.Requests[1].BodyAs<V1Pod>().Status;
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("Failed", "DisruptionTarget", "DeletionByPodGC", "PodGC: node no longer exists"), (status.Phase, condition.Type, condition.Reason, condition.Message));
        Assert.Equal(0, _api.Requests[2].BodyAs<V1DeleteOptions>().GracePeriodSeconds);
    }

    [Fact]
    public async Task SyncAsync_NodeStillExistsOnTheServer_KeepsThePod()
    {
        _pods.Add(PodOn("late"));
        _api.Answer(HttpMethod.Get, "/api/v1/nodes/late", HttpStatusCode.OK, new V1Node { ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = "late" } });
        await _controller.SyncAsync("ns-1/web", CancellationToken.None);
        _time.Advance(PodGcController.QuarantineTime);

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal(["GET /api/v1/nodes/late"], _api.Calls);
    }

    [Fact]
    public async Task SyncAsync_PodOnKnownNode_KeepsThePod()
    {
        _nodes.Add(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } });
        _pods.Add(PodOn("node-1"));
        _time.Advance(PodGcController.QuarantineTime);

        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("ns-1/web", CancellationToken.None));
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task Handlers_NodeDeleted_QueuesItsPods()
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } };
        _nodes.Add(node);
        _pods.Add(PodOn("node-1"));
        Assert.Equal("ns-1/web", await _controller.TakeAsync());

        _nodes.Delete(node);

        Assert.Equal("ns-1/web", await _controller.TakeAsync());
    }

    [Fact]
    public async Task SyncAsync_TerminatedPodsBeyondTheThreshold_ForceDeletesEvictedThenOldest()
    {
        using var controller = new PodGcController(_api.Client, _pods.Informer, _nodes.Informer, _time, NullLogger<PodGcController>.Instance, terminatedPodThreshold: 2);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        _pods.Add(
            Terminated("old", "Succeeded", start),
            Terminated("older", "Failed", start.AddHours(-1)),
            Terminated("new", "Succeeded", start.AddHours(1)),
            Terminated("evicted", "Failed", start.AddHours(2), reason: "Evicted"),
            PodOn("node-1"));
        foreach (var name in new[] { "evicted", "older" })
        {
            _api.Answer(HttpMethod.Delete, $"/api/v1/namespaces/ns-1/pods/{name}", HttpStatusCode.OK, PodOn("node-1"));
        }

        var result = await controller.SyncAsync(PodGcController.TerminatedPodsKey, CancellationToken.None);

        Assert.Equal(SyncResult.Done, result);
        Assert.Equal(["DELETE /api/v1/namespaces/ns-1/pods/evicted", "DELETE /api/v1/namespaces/ns-1/pods/older"], _api.Calls.Order(StringComparer.Ordinal));
        Assert.All(_api.Requests, r => Assert.Equal(0, r.BodyAs<V1DeleteOptions>().GracePeriodSeconds));
    }

    [Fact]
    public async Task SyncAsync_TerminatedPodsWithinTheThreshold_DeletesNothing()
    {
        using var controller = new PodGcController(_api.Client, _pods.Informer, _nodes.Informer, _time, NullLogger<PodGcController>.Instance, terminatedPodThreshold: 2);
        _pods.Add(Terminated("a", "Succeeded", DateTime.UnixEpoch), Terminated("b", "Failed", DateTime.UnixEpoch), PodOn("node-1"), PodOn("node-2"));

        await controller.SyncAsync(PodGcController.TerminatedPodsKey, CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task Handlers_PodTerminated_QueuesTheTerminatedPodsPass()
    {
        _pods.Add(Terminated("done", "Succeeded", DateTime.UnixEpoch));

        Assert.Equal(PodGcController.TerminatedPodsKey, await _controller.TakeAsync());
    }

    [Fact]
    public async Task SyncAsync_TerminatingPodNeverScheduled_IsMarkedFailedAndForceDeleted()
    {
        var pod = PodOn("");
        pod.Metadata.DeletionTimestamp = DateTime.UnixEpoch;
        pod.Status.Phase = "Pending";
        _pods.Add(pod);
        _api.Answer(HttpMethod.Delete, Pod, HttpStatusCode.OK, pod);

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"PATCH {Pod}/status", $"DELETE {Pod}"], _api.Calls);
        var status = _api.Requests[0].BodyAs<V1Pod>().Status;
        Assert.Equal(("Failed", null), (status.Phase, status.Conditions));
        Assert.Equal(0, _api.Requests[1].BodyAs<V1DeleteOptions>().GracePeriodSeconds);
    }

    [Fact]
    public async Task SyncAsync_TerminatingPodOnNotReadyOutOfServiceNode_IsMarkedFailedAndForceDeleted()
    {
        _nodes.Add(NodeObject("node-1", ready: "Unknown", outOfService: true));
        var pod = PodOn("node-1");
        pod.Metadata.DeletionTimestamp = DateTime.UnixEpoch;
        _pods.Add(pod);
        _api.Answer(HttpMethod.Delete, Pod, HttpStatusCode.OK, pod);

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"PATCH {Pod}/status", $"DELETE {Pod}"], _api.Calls);
        Assert.Equal("Failed", _api.Requests[0].BodyAs<V1Pod>().Status.Phase);
    }

    [Theory]
    [InlineData("Unknown", false)]
    [InlineData("True", true)]
    public async Task SyncAsync_TerminatingPodOnNodeNotBothNotReadyAndOutOfService_IsLeftToItsKubelet(string ready, bool outOfService)
    {
        _nodes.Add(NodeObject("node-1", ready, outOfService));
        var pod = PodOn("node-1");
        pod.Metadata.DeletionTimestamp = DateTime.UnixEpoch;
        _pods.Add(pod);

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task Handlers_NodeTaintedOutOfService_QueuesItsTerminatingPods()
    {
        _nodes.Add(NodeObject("node-1", ready: "Unknown", outOfService: false));
        var pod = PodOn("node-1");
        pod.Metadata.DeletionTimestamp = DateTime.UnixEpoch;
        _pods.Add(pod);
        Assert.Equal("ns-1/web", await _controller.TakeAsync());

        _nodes.Add(NodeObject("node-1", ready: "Unknown", outOfService: true));

        Assert.Equal("ns-1/web", await _controller.TakeAsync());
    }

    private static V1Node NodeObject(string name, string ready, bool outOfService) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NodeSpec { Taints = outOfService ? [new V1Taint { Key = PodGcController.OutOfServiceTaint, Value = "nodeshutdown", Effect = "NoExecute" }] : null },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready }] },
    };

    private static V1Pod Terminated(string name, string phase, DateTime created, string? reason = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns-1", CreationTimestamp = created },
        Spec = new V1PodSpec(),
        Status = new V1PodStatus { Phase = phase, Reason = reason },
    };

    private static V1Pod PodOn(string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1" },
        Spec = new V1PodSpec { NodeName = node },
        Status = new V1PodStatus { Phase = "Running" },
    };
}
