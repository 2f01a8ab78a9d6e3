using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.TaintEviction;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.TaintEviction;

public sealed class TaintEvictionControllerTests : IDisposable
{
    private const string Pod = "/api/v1/namespaces/ns-1/pods/web";
    private static readonly DateTimeOffset _start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeApiServer _api = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly FakeTimeProvider _time = new(_start);
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly TestInformer<V1Node> _nodes = new();
    private readonly TaintEvictionController _controller;

    public TaintEvictionControllerTests()
    {
        _controller = new(_api.Client, _pods.Informer, _nodes.Informer, _events, _time, NullLogger<TaintEvictionController>.Instance);
        _api.Answer(HttpMethod.Delete, Pod, HttpStatusCode.OK, PodWith());
    }

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_UntoleratedNoExecuteTaint_DeletesThePodAtOnce()
    {
        _nodes.Add(Unreachable());
        _pods.Add(PodWith());

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"DELETE {Pod}"], _api.Calls);
        var ev = Assert.Single(_events.Events);
        Assert.Equal(
            ("Normal", "TaintManagerEviction", "Marking for deletion Pod ns-1/web", "Pod", "web"),
            (ev.Type, ev.Reason, ev.Message, ev.InvolvedObject.Kind, ev.InvolvedObject.Name));
    }

    [Fact]
    public async Task SyncAsync_ToleratedForSeconds_DeletesOnlyOnceTheyRunOut()
    {
        _nodes.Add(Unreachable());
        _pods.Add(PodWith(new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 }));
        _time.Advance(TimeSpan.FromSeconds(100));

        var early = await _controller.SyncAsync("ns-1/web", CancellationToken.None);
        var callsEarly = _api.Calls.Count;
        _time.Advance(TimeSpan.FromSeconds(200));
        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal(SyncResult.Requeue(TimeSpan.FromSeconds(200)), early);
        Assert.Equal(0, callsEarly);
        Assert.Equal([$"DELETE {Pod}"], _api.Calls);
        Assert.Single(_events.Events);
    }

    [Fact]
    public async Task SyncAsync_ToleratedForever_KeepsThePod()
    {
        _nodes.Add(Unreachable());
        _pods.Add(PodWith(new V1Toleration { OperatorProperty = "Exists" }));
        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("ns-1/web", CancellationToken.None));
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_OnlyNoScheduleTaint_KeepsThePod()
    {
        var node = Unreachable();
        node.Spec.Taints[0].Effect = "NoSchedule";
        _nodes.Add(node);
        _pods.Add(PodWith());

        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("ns-1/web", CancellationToken.None));
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task Handlers_NodeTainted_QueuesItsPods()
    {
        _pods.Add(PodWith());
        Assert.Equal("ns-1/web", await _controller.TakeAsync());

        _nodes.Add(Unreachable());

        Assert.Equal("ns-1/web", await _controller.TakeAsync());
    }

    private static V1Node Unreachable() => new()
    {
        Metadata = new V1ObjectMeta { Name = "node-1" },
        Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute", TimeAdded = _start.UtcDateTime }] },
    };

    private static V1Pod PodWith(params V1Toleration[] tolerations) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1" },
        Spec = new V1PodSpec { NodeName = "node-1", Tolerations = tolerations },
    };
}
