using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.ReplicaSet;
using Timonel.Controllers.Replication;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.Replication;

public sealed class ReplicationManagerTests : IDisposable
{
    private const string Key = "ns-1/web";
    private const string Uid = "rc-uid";
    private const string Pods = "/api/v1/namespaces/ns-1/pods";
    private const string Status = "/api/v1/namespaces/ns-1/replicationcontrollers/web/status";
    private static readonly DateTime _start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeApiServer _api = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly FakeTimeProvider _time = new(_start);
    private readonly TestInformer<V1ReplicationController> _replicationControllers = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly ReplicaSetController _controller;

    public ReplicationManagerTests() =>
        _controller = ReplicationManager.Create(_api.Client, _replicationControllers.Informer, _pods.Informer, _events, _time, NullLogger.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NoPods_CreatesReplicasOwnedByTheReplicationController()
    {
        _replicationControllers.Add(ReplicationControllerObject(3));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var created = _api.Requests.Where(r => r.ToString() == $"POST {Pods}").Select(r => r.BodyAs<V1Pod>()).ToList();
        Assert.Equal(3, created.Count);
        Assert.All(created, pod =>
        {
            Assert.Equal("web-", pod.Metadata.GenerateName);
            Assert.Equal("web", pod.Metadata.Labels["app"]);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("v1", "ReplicationController", "web", Uid, true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        });
        Assert.Equal(3, _events.Events.Count);
        Assert.All(_events.Events, e => Assert.Equal(
            ("SuccessfulCreate", "v1", "ReplicationController", "web", Uid),
            (e.Reason, e.InvolvedObject.ApiVersion, e.InvolvedObject.Kind, e.InvolvedObject.Name, e.InvolvedObject.Uid)));
    }

    [Fact]
    public async Task SyncAsync_PodsRunning_WritesTheReplicationControllerStatus()
    {
        var rc = ReplicationControllerObject(2);
        rc.Metadata.Generation = 3;
        _replicationControllers.Add(rc);
        _pods.Add(PodObject("a", Owner(), ready: true), PodObject("b", Owner(), ready: false));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var written = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {Status}").BodyAs<V1ReplicationController>();
        Assert.Equal(("v1", "ReplicationController"), (written.ApiVersion, written.Kind));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, written.Spec.Selector);
        Assert.Equal((2, 2, 1, 1, 3L), (written.Status.Replicas, written.Status.FullyLabeledReplicas, written.Status.ReadyReplicas, written.Status.AvailableReplicas, written.Status.ObservedGeneration));
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {Pods}");
    }

    [Fact]
    public async Task SyncAsync_ScaledDown_DeletesTheSurplusWithAnEvent()
    {
        _replicationControllers.Add(ReplicationControllerObject(1));
        var surplus = PodObject("b", Owner(), ready: false);
        _pods.Add(PodObject("a", Owner(), ready: true), surplus);
        // The API server answers a pod deletion with the pod.
        _api.Answer(HttpMethod.Delete, $"{Pods}/b", HttpStatusCode.OK, surplus);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Single(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
        Assert.Contains($"DELETE {Pods}/b", _api.Calls);
        var deleted = Assert.Single(_events.Events);
        Assert.Equal(("SuccessfulDelete", "Deleted pod: b", "ReplicationController"), (deleted.Reason, deleted.Message, deleted.InvolvedObject.Kind));
    }

    [Fact]
    public async Task SyncAsync_OrphanMatchingTheSelector_IsAdoptedWithAReplicationControllerReference()
    {
        _replicationControllers.Add(ReplicationControllerObject(1));
        _pods.Add(PodObject("orphan", owner: null, ready: true), PodObject("other", owner: null, ready: true, app: "db"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var patch = Assert.Single(_api.Requests, r => r.Method == "PATCH");
        Assert.Equal($"{Pods}/orphan", patch.PathAndQuery);
        Assert.Contains("\"apiVersion\":\"v1\"", patch.Body, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"ReplicationController\"", patch.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {Pods}");
    }

    [Fact]
    public async Task SyncAsync_PodControlledByAReplicaSetOfTheSameName_IsNeitherCountedNorAdopted()
    {
        _replicationControllers.Add(ReplicationControllerObject(1));
        var rsOwned = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = "rs-uid", Controller = true };
        _pods.Add(PodObject("rs-pod", rsOwned, ready: true));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.DoesNotContain(_api.Requests, r => r.Method == "PATCH");
        Assert.Equal(1, _api.Calls.Count(c => c == $"POST {Pods}"));
    }

    [Fact]
    public async Task Handlers_PodOfTheReplicationControllerDeleted_QueuesIt()
    {
        _replicationControllers.Add(ReplicationControllerObject(1));
        Assert.Equal(Key, await _controller.TakeAsync());
        var owned = PodObject("owned", Owner(), ready: true);
        _pods.Add(owned);
        Assert.Equal(Key, await _controller.TakeAsync());

        _pods.Delete(owned);

        Assert.Equal(Key, await _controller.TakeAsync());
    }

    private static V1OwnerReference Owner() => new() { ApiVersion = "v1", Kind = "ReplicationController", Name = "web", Uid = Uid, Controller = true };

    private static V1ReplicationController ReplicationControllerObject(int replicas) => new()
    {
        ApiVersion = "v1",
        Kind = "ReplicationController",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1", Uid = Uid },
        Spec = new V1ReplicationControllerSpec
        {
            Replicas = replicas,
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
            },
        },
    };

    private static V1Pod PodObject(string name, V1OwnerReference? owner, bool ready, string app = "web") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns-1",
            Uid = $"uid-{name}",
            Labels = new Dictionary<string, string> { ["app"] = app },
            CreationTimestamp = _start.AddHours(-1),
            OwnerReferences = owner is null ? null : [owner],
        },
        Spec = new V1PodSpec { NodeName = "n", Containers = [new V1Container { Name = "web", Image = "nginx" }] },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = ready ? _start.AddMinutes(-1) : null }],
        },
    };
}
