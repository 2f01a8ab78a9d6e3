using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.NodeLifecycle;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.NodeLifecycle;

public sealed class NodeLifecycleControllerTests : IDisposable
{
    private static readonly DateTimeOffset _start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(_start);
    private readonly TestInformer<V1Node> _nodes = new();
    private readonly TestInformer<V1Lease> _leases = new();
    private readonly NodeLifecycleController _controller;

    public NodeLifecycleControllerTests() =>
        _controller = new(_api.Client, _nodes.Informer, _leases.Informer, _time, NullLogger<NodeLifecycleController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_CordonedNode_AddsUnschedulableNoScheduleTaint()
    {
        _nodes.Add(Node("node-1", "True", unschedulable: true));

        await _controller.SyncAsync("node-1", CancellationToken.None);

        Assert.Equal(["PATCH /api/v1/nodes/node-1"], _api.Calls);
        var taint = Assert.Single(_api.Requests[0].BodyAs<V1Node>().Spec.Taints);
        Assert.Equal(("node.kubernetes.io/unschedulable", "NoSchedule"), (taint.Key, taint.Effect));
    }

    [Fact]
    public async Task SyncAsync_UncordonedNode_RemovesUnschedulableTaintAndKeepsOthers()
    {
        var node = Node("node-1", "True");
        node.Spec.Taints = [new V1Taint { Key = NodeLifecycleController.UnschedulableTaint, Effect = "NoSchedule" }, new V1Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }];
        _nodes.Add(node);

        await _controller.SyncAsync("node-1", CancellationToken.None);

        var taint = Assert.Single(_api.Requests.Single().BodyAs<V1Node>().Spec.Taints);
        Assert.Equal(("dedicated", "gpu"), (taint.Key, taint.Value));
    }

    [Fact]
    public async Task SyncAsync_HealthyNodeWithinGracePeriod_WritesNothingAndRequeuesForTheDeadline()
    {
        _nodes.Add(Node("node-1", "True"));
        _time.Advance(TimeSpan.FromSeconds(30));
        _leases.Add(Lease("node-1"));

        var result = await _controller.SyncAsync("node-1", CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Equal(SyncResult.Requeue(NodeLifecycleController.DefaultGracePeriod), result);
    }

    [Fact]
    public async Task SyncAsync_LeaseNotRenewedForGracePeriod_MarksConditionsUnknownAndTaintsUnreachable()
    {
        _nodes.Add(Node("node-1", "True"));
        _leases.Add(Lease("node-1"));
        await _controller.SyncAsync("node-1", CancellationToken.None);
        _time.Advance(NodeLifecycleController.DefaultGracePeriod + TimeSpan.FromSeconds(1));

        await _controller.SyncAsync("node-1", CancellationToken.None);

        Assert.Equal(["PUT /api/v1/nodes/node-1/status", "PATCH /api/v1/nodes/node-1"], _api.Calls);
        var ready = _api.Requests[0].BodyAs<V1Node>().Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."), (ready.Status, ready.Reason, ready.Message));
        var taints = _api.Requests[1].BodyAs<V1Node>().Spec.Taints;
        Assert.Equal(
            [("node.kubernetes.io/unreachable", "NoSchedule", null), ("node.kubernetes.io/unreachable", "NoExecute", _time.GetUtcNow().UtcDateTime)],
            taints.Select(t => (t.Key, t.Effect, t.TimeAdded)));
    }

    [Fact]
    public async Task SyncAsync_LeaseRenewedBeforeGracePeriodEnds_DoesNotMarkTheNode()
    {
        _nodes.Add(Node("node-1", "True"));
        _leases.Add(Lease("node-1"));
        await _controller.SyncAsync("node-1", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        _leases.Add(Lease("node-1", _time.GetUtcNow().UtcDateTime));
        await _controller.SyncAsync("node-1", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));

        await _controller.SyncAsync("node-1", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_NodeReportsNotReady_TaintsNotReadyNoScheduleAndNoExecute()
    {
        _nodes.Add(Node("node-1", "False"));

        await _controller.SyncAsync("node-1", CancellationToken.None);

        var taints = _api.Requests.Single().BodyAs<V1Node>().Spec.Taints;
        Assert.Equal([("node.kubernetes.io/not-ready", "NoSchedule"), ("node.kubernetes.io/not-ready", "NoExecute")], taints.Select(t => (t.Key, t.Effect)));
    }

    [Fact]
    public async Task SyncAsync_NodeReadyAgain_RemovesUnreachableTaint()
    {
        var node = Node("node-1", "True");
        node.Spec.Taints = [new V1Taint { Key = NodeLifecycleController.UnreachableTaint, Effect = "NoExecute", TimeAdded = _start.UtcDateTime }];
        _nodes.Add(node);

        await _controller.SyncAsync("node-1", CancellationToken.None);

        Assert.Equal(["PATCH /api/v1/nodes/node-1"], _api.Calls);
        Assert.Empty(_api.Requests[0].BodyAs<V1Node>().Spec.Taints);
    }

    [Fact]
    public async Task SyncAsync_NodeGone_Done()
    {
        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("node-1", CancellationToken.None));
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task Handlers_NodeAddedOrLeaseRenewed_QueueTheNode()
    {
        _nodes.Add(Node("node-1", "True"));
        _leases.Add(Lease("node-2"));

        Assert.Equal("node-1", await _controller.TakeAsync());
        Assert.Equal("node-2", await _controller.TakeAsync());
    }

    private static V1Node Node(string name, string ready, bool unschedulable = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, CreationTimestamp = _start.UtcDateTime },
        Spec = new V1NodeSpec { Unschedulable = unschedulable ? true : null },
        Status = new V1NodeStatus
        {
            Conditions =
            [
                new V1NodeCondition { Type = "Ready", Status = ready, Reason = "KubeletReady", LastHeartbeatTime = _start.UtcDateTime, LastTransitionTime = _start.UtcDateTime },
                new V1NodeCondition { Type = "MemoryPressure", Status = "False", Reason = "KubeletHasSufficientMemory", LastHeartbeatTime = _start.UtcDateTime, LastTransitionTime = _start.UtcDateTime },
            ],
        },
    };

    private static V1Lease Lease(string node, DateTime? renewed = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = node, NamespaceProperty = NodeLifecycleController.LeaseNamespace },
        Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = 40, RenewTime = renewed ?? _start.UtcDateTime },
    };
}
