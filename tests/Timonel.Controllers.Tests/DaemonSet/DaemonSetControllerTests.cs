using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.DaemonSet;
using Timonel.Controllers.Deployment;
using Timonel.Controllers.History;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.DaemonSet;

public sealed class DaemonSetControllerTests : IDisposable
{
    private const string Key = "ns-1/agent";
    private const string Uid = "ds-uid";
    private const string Pods = "/api/v1/namespaces/ns-1/pods";
    private const string Revisions = "/apis/apps/v1/namespaces/ns-1/controllerrevisions";
    private const string Status = "/apis/apps/v1/namespaces/ns-1/daemonsets/agent/status";
    private static readonly DateTime _start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(_start);
    private readonly TestInformer<V1DaemonSet> _daemonSets = new();
    private readonly TestInformer<V1ControllerRevision> _revisions = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly TestInformer<V1Node> _nodes = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly DaemonSetController _controller;

    public DaemonSetControllerTests() =>
        _controller = new(_api.Client, _daemonSets.Informer, _revisions.Informer, _pods.Informer, _nodes.Informer, _events, _time, NullLogger<DaemonSetController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ThreeNodes_CreatesOnePodPinnedToEachWithTheDaemonTolerationsAndLabels()
    {
        var ds = DaemonSetObject();
        _daemonSets.Add(ds);
        _nodes.Add(NodeObject("n0"), NodeObject("n1"), NodeObject("n2"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var created = Created();
        Assert.Equal(["n0", "n1", "n2"], created.Select(DaemonPods.TargetNodeName).Order(StringComparer.Ordinal));
        var hash = PodTemplateHash.Compute(ds.Spec.Template, null);
        Assert.All(created, pod =>
        {
            Assert.Equal("agent-", pod.Metadata.GenerateName);
            Assert.Equal(("agent", hash, "3"), (pod.Metadata.Labels["app"], pod.Metadata.Labels["controller-revision-hash"], pod.Metadata.Labels["pod-template-generation"]));
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("apps/v1", "DaemonSet", "agent", Uid, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller));
            var term = Assert.Single(pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
            Assert.Equal(("metadata.name", "In"), (term.MatchFields.Single().Key, term.MatchFields.Single().OperatorProperty));
            Assert.Equal(
                ["node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unschedulable:NoSchedule"],
                pod.Spec.Tolerations.Select(t => $"{t.Key}:{t.Effect}").Order(StringComparer.Ordinal));
            Assert.All(pod.Spec.Tolerations, t => Assert.Equal(("Exists", null), (t.OperatorProperty, t.TolerationSeconds)));
        });
        Assert.Equal(3, _events.Events.Count(e => e.Reason == "SuccessfulCreate" && e.Message.StartsWith("Created pod: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SyncAsync_FirstSync_CreatesRevisionOneNamedByTheTemplateHashWithTheDaemonSetsAnnotations()
    {
        var ds = DaemonSetObject();
        ds.Metadata.Annotations["kubernetes.io/change-cause"] = "first";
        _daemonSets.Add(ds);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var revision = Assert.Single(_api.Requests, r => r.ToString() == $"POST {Revisions}").BodyAs<V1ControllerRevision>();
        var hash = PodTemplateHash.Compute(ds.Spec.Template, null);
        Assert.Equal(($"agent-{hash}", 1L, hash, "first"), (revision.Metadata.Name, revision.Revision, revision.Metadata.Labels["controller-revision-hash"], revision.Metadata.Annotations["kubernetes.io/change-cause"]));
        Assert.Equal(Uid, Assert.Single(revision.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task SyncAsync_NodeSelectorAffinityAndTaints_CreatesOnlyOnEligibleNodes()
    {
        var ds = DaemonSetObject();
        ds.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        _daemonSets.Add(ds);
        _nodes.Add(
            NodeObject("plain", labels: new() { ["disk"] = "hdd" }),
            NodeObject("ssd", labels: Ssd()),
            NodeObject("tainted", labels: Ssd(), taint: new V1Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" }),
            NodeObject("cordoned", labels: Ssd(), taint: new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" }),
            NodeObject("not-ready", labels: Ssd(), taint: new V1Taint { Key = "node.kubernetes.io/not-ready", Effect = "NoExecute" }));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(["cordoned", "not-ready", "ssd"], Created().Select(DaemonPods.TargetNodeName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_PodOnNodeTaintedNoScheduleAfterwards_Stays_ButNoExecuteDeletesIt()
    {
        WithCurrentRevision();
        _nodes.Add(
            NodeObject("no-schedule", taint: new V1Taint { Key = "dedicated", Effect = "NoSchedule" }),
            NodeObject("no-execute", taint: new V1Taint { Key = "dedicated", Effect = "NoExecute" }));
        AddPods(PodObject("on-no-schedule", "no-schedule", ready: true), PodObject("on-no-execute", "no-execute", ready: true));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal([$"DELETE {Pods}/on-no-execute"], _api.Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)));
        Assert.Empty(Created());
        var status = LastStatus();
        Assert.Equal((0, 0, 2), (status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.NumberMisscheduled));
    }

    [Fact]
    public async Task SyncAsync_PodsOnRemovedAndIneligibleNodes_DeletesThem()
    {
        var ds = DaemonSetObject();
        ds.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["role"] = "web" };
        _nodes.Add(NodeObject("n0", labels: new() { ["role"] = "web" }), NodeObject("other", labels: new() { ["role"] = "db" }));
        _daemonSets.Add(ds);
        _revisions.Add(CurrentRevision(ds));
        AddPods(
            PodObject("on-n0", "n0", ready: true),
            PodObject("on-other", "other", ready: true),
            PodObject("pinned-to-gone", null, pinnedTo: "gone"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(
            [$"DELETE {Pods}/on-other", $"DELETE {Pods}/pinned-to-gone"],
            _api.Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains(_events.Events, e => (e.Reason, e.Message) == ("SuccessfulDelete", "Deleted pod: on-other"));
    }

    [Fact]
    public async Task SyncAsync_TwoPodsOnANode_DeletesAllButTheOldest()
    {
        WithCurrentRevision();
        _nodes.Add(NodeObject("n0"));
        var older = PodObject("older", "n0", ready: true);
        var newer = PodObject("newer", "n0", ready: true);
        newer.Metadata.CreationTimestamp = _start.AddMinutes(-1);
        AddPods(older, newer);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal([$"DELETE {Pods}/newer"], _api.Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SyncAsync_FailedPod_DeletedWithAnEvent_NextOneOnTheNodeWaitsForTheBackoff()
    {
        WithCurrentRevision();
        _nodes.Add(NodeObject("n0"));
        AddPods(PodObject("failed-1", "n0", phase: "Failed"));

        await _controller.SyncAsync(Key, CancellationToken.None);
        _pods.Delete(_pods.Informer.Cache.Get("ns-1", "failed-1")!);
        AddPods(PodObject("failed-2", "n0", phase: "Failed"));
        var second = await _controller.SyncAsync(Key, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal([$"DELETE {Pods}/failed-1", $"DELETE {Pods}/failed-2"], _api.Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)));
        Assert.Equal(SyncResult.Requeue(TimeSpan.FromSeconds(1)), second);
        var failed = _events.Events.Where(e => e.Reason == "FailedDaemonPod").ToList();
        Assert.Equal(2, failed.Count);
        Assert.Equal(("Warning", "Found failed daemon pod ns-1/failed-1 on node n0, will try to kill it"), (failed[0].Type, failed[0].Message));
    }

    [Fact]
    public async Task SyncAsync_CreationsNotYetObserved_DoesNotCreateTwice()
    {
        _daemonSets.Add(DaemonSetObject());
        _nodes.Add(NodeObject("n0"), NodeObject("n1"));

        await _controller.SyncAsync(Key, CancellationToken.None);
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(2, Created().Count);
    }

    [Fact]
    public async Task SyncAsync_CreationRefused_StopsAfterTheFirstBatchWithAFailedCreateEvent()
    {
        _daemonSets.Add(DaemonSetObject());
        _nodes.Add(Enumerable.Range(0, 10).Select(i => NodeObject($"n{i}")));
        _api.Fail(HttpMethod.Post, Pods, HttpStatusCode.Forbidden, "exceeded quota");

        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync(Key, CancellationToken.None));

        Assert.Equal(1, _api.Calls.Count(c => c == $"POST {Pods}"));
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Warning", "FailedCreate", "Error creating: exceeded quota"));
    }

    [Fact]
    public async Task SyncAsync_PodsRunningReadyAndOld_StatusCountsPerNode()
    {
        var ds = WithCurrentRevision(minReadySeconds: 30);
        ds.Metadata.Generation = 4;
        _daemonSets.Add(ds);
        _nodes.Add(NodeObject("a"), NodeObject("b"), NodeObject("c"), NodeObject("d"), NodeObject("e", taint: new V1Taint { Key = "dedicated", Effect = "NoExecute" }));
        var old = PodObject("old", "c", ready: true, readySince: _start.AddMinutes(-5));
        old.Metadata.Labels["controller-revision-hash"] = "previous";
        old.Metadata.Labels["pod-template-generation"] = "1";
        AddPods(
            PodObject("available", "a", ready: true, readySince: _start.AddMinutes(-5)),
            PodObject("just-ready", "b", ready: true, readySince: _start.AddSeconds(-5)),
            old,
            PodObject("misplaced", "e", ready: true));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        var status = LastStatus();
        Assert.Equal(
            (4, 3, 1, 3, 2, 2, 2, 4L),
            (status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.NumberMisscheduled, status.NumberReady, status.UpdatedNumberScheduled, status.NumberAvailable, status.NumberUnavailable, status.ObservedGeneration));
        Assert.Equal(SyncResult.Requeue(TimeSpan.FromSeconds(30)), result);
    }

    [Fact]
    public async Task SyncAsync_RollingUpdateMaxUnavailableOne_DeletesOneOldAvailablePodAtATime()
    {
        WithCurrentRevision();
        _nodes.Add(NodeObject("a"), NodeObject("b"), NodeObject("c"));
        AddPods(OldPod("old-a", "a"), OldPod("old-b", "b"), OldPod("old-c", "c"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Single(_api.Calls, c => c.StartsWith($"DELETE {Pods}/old-", StringComparison.Ordinal));
        Assert.Empty(Created());
    }

    [Fact]
    public async Task SyncAsync_RollingUpdateNewPodNotYetAvailable_DeletesNothingMore()
    {
        WithCurrentRevision();
        _nodes.Add(NodeObject("a"), NodeObject("b"));
        AddPods(PodObject("new-a", "a", ready: false), OldPod("old-b", "b"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_RollingUpdateWithMaxSurge_CreatesTheNewPodBesideTheOldThenDeletesTheOldOnceAvailable()
    {
        var ds = DaemonSetObject();
        ds.Spec.UpdateStrategy.RollingUpdate = new V1RollingUpdateDaemonSet { MaxSurge = 1, MaxUnavailable = 0 };
        _daemonSets.Add(ds);
        _revisions.Add(CurrentRevision(ds));
        _nodes.Add(NodeObject("a"));
        AddPods(OldPod("old-a", "a"));

        await _controller.SyncAsync(Key, CancellationToken.None);
        var created = Assert.Single(Created());
        Assert.Equal("a", DaemonPods.TargetNodeName(created));
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));

        AddPods(PodObject("new-a", "a", ready: true, readySince: _start.AddMinutes(-1)));
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal([$"DELETE {Pods}/old-a"], _api.Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SyncAsync_OnDelete_LeavesOldPodsAlone()
    {
        var ds = DaemonSetObject();
        ds.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "OnDelete" };
        _daemonSets.Add(ds);
        _revisions.Add(CurrentRevision(ds));
        _nodes.Add(NodeObject("a"));
        AddPods(OldPod("old-a", "a"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
        Assert.Equal(0, LastStatus().UpdatedNumberScheduled);
    }

    [Fact]
    public async Task SyncAsync_TemplateBackToAnOldRevision_RenumbersItPastTheOthers()
    {
        var ds = DaemonSetObject();
        _daemonSets.Add(ds);
        var first = CurrentRevision(ds);
        first.Revision = 1;
        var second = CurrentRevision(ds);
        second.Metadata.Name = "agent-second";
        second.Metadata.Labels["controller-revision-hash"] = "second";
        second.Data = ControllerRevisions.TemplatePatch(new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "agent" } }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "agent:2" }] } });
        second.Revision = 2;
        _revisions.Add(first, second);
        var renumbered = CurrentRevision(ds);
        renumbered.Revision = 3;
        _api.Answer(HttpMethod.Patch, $"{Revisions}/{first.Metadata.Name}", HttpStatusCode.OK, renumbered);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var patch = Assert.Single(_api.Requests, r => r.Method == "PATCH" && r.PathAndQuery == $"{Revisions}/{first.Metadata.Name}");
        Assert.Equal("{\"revision\":3}", patch.Body);
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {Revisions}");
    }

    [Fact]
    public async Task SyncAsync_MoreOldRevisionsThanTheLimit_DeletesTheOldestNotInUse()
    {
        var ds = DaemonSetObject();
        ds.Spec.RevisionHistoryLimit = 1;
        _daemonSets.Add(ds);
        var current = CurrentRevision(ds);
        current.Revision = 4;
        _revisions.Add(current);
        foreach (var n in new[] { 1, 2, 3 })
        {
            var old = CurrentRevision(ds);
            old.Metadata.Name = $"agent-old{n}";
            old.Metadata.Labels["controller-revision-hash"] = $"old{n}";
            old.Revision = n;
            old.Data = ControllerRevisions.TemplatePatch(new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = $"agent:{n}" }] } });
            _revisions.Add(old);
        }

        _nodes.Add(NodeObject("a"));
        var inUse = PodObject("still-old", "a", ready: true);
        inUse.Metadata.Labels["controller-revision-hash"] = "old1";
        inUse.Metadata.Labels.Remove("pod-template-generation");
        AddPods(inUse);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(
            [$"DELETE {Revisions}/agent-old2", $"DELETE {Revisions}/agent-old3"],
            _api.Calls.Where(c => c.StartsWith($"DELETE {Revisions}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SyncAsync_EmptySelector_WarnsAndDoesNothing()
    {
        var ds = DaemonSetObject();
        ds.Spec.Selector = new V1LabelSelector();
        _daemonSets.Add(ds);
        _nodes.Add(NodeObject("a"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Warning", "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required."));
    }

    [Fact]
    public async Task Handlers_NodeAddedOrTainted_QueueTheDaemonSetsItConcerns()
    {
        _daemonSets.Add(DaemonSetObject());
        Assert.Equal(Key, await _controller.TakeAsync());

        _nodes.Add(NodeObject("a"));
        Assert.Equal(Key, await _controller.TakeAsync());

        _nodes.Add(NodeObject("a", taint: new V1Taint { Key = "dedicated", Effect = "NoSchedule" }));
        Assert.Equal(Key, await _controller.TakeAsync());

        // A heartbeat (status only) changes nothing the DaemonSet depends on.
        var beat = NodeObject("a", taint: new V1Taint { Key = "dedicated", Effect = "NoSchedule" });
        beat.Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] };
        _nodes.Add(beat);
        Assert.Equal(0, _controller.Queue.Len);
    }

    private static V1DaemonSet DaemonSetObject(int minReadySeconds = 0) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = new V1ObjectMeta
        {
            Name = "agent",
            NamespaceProperty = "ns-1",
            Uid = Uid,
            Generation = 1,
            Annotations = new Dictionary<string, string> { ["deprecated.daemonset.template.generation"] = "3" },
        },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
            MinReadySeconds = minReadySeconds,
            UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 1, MaxSurge = 0 } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "agent" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "agent:1" }] },
            },
        },
    };

    private static Dictionary<string, string> Ssd() => new() { ["disk"] = "ssd" };

    private static V1ControllerRevision CurrentRevision(V1DaemonSet ds)
    {
        var hash = PodTemplateHash.Compute(ds.Spec.Template, null);
        var revision = ControllerRevisions.New(
            ds.Metadata,
            new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = ds.Metadata.Name, Uid = ds.Metadata.Uid, Controller = true },
            ds.Spec.Template.Metadata.Labels,
            ControllerRevisions.TemplatePatch(ds.Spec.Template),
            1,
            null);
        revision.Metadata.Name = $"agent-{hash}";
        revision.Metadata.Labels["controller-revision-hash"] = hash;
        return revision;
    }

    private static V1Node NodeObject(string name, Dictionary<string, string>? labels = null, V1Taint? taint = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
        Spec = new V1NodeSpec { Taints = taint is null ? null : [taint] },
    };

    private static V1Pod PodObject(string name, string? node, string phase = "Running", bool ready = false, DateTime? readySince = null, string? pinnedTo = null)
    {
        var ds = DaemonSetObject();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = "ns-1",
                Uid = $"uid-{name}",
                Labels = new Dictionary<string, string> { ["app"] = "agent", ["controller-revision-hash"] = PodTemplateHash.Compute(ds.Spec.Template, null), ["pod-template-generation"] = "3" },
                CreationTimestamp = _start.AddHours(-1),
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "agent", Uid = Uid, Controller = true }],
            },
            Spec = new V1PodSpec
            {
                NodeName = node,
                Affinity = DaemonPods.PinToNode(null, pinnedTo ?? node ?? ""),
                Containers = [new V1Container { Name = "agent", Image = "agent:1" }],
            },
            Status = new V1PodStatus
            {
                Phase = phase,
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = readySince ?? (ready ? _start.AddHours(-1) : null) }],
            },
        };
        return pod;
    }

    private static V1Pod OldPod(string name, string node)
    {
        var pod = PodObject(name, node, ready: true);
        pod.Metadata.Labels["controller-revision-hash"] = "previous";
        pod.Metadata.Labels["pod-template-generation"] = "2";
        return pod;
    }

    private V1DaemonSet WithCurrentRevision(int minReadySeconds = 0)
    {
        var ds = DaemonSetObject(minReadySeconds);
        _daemonSets.Add(ds);
        _revisions.Add(CurrentRevision(ds));
        return ds;
    }

    // The API server answers a pod deletion with the pod.
    private void AddPods(params V1Pod[] pods)
    {
        foreach (var pod in pods)
        {
            _api.Answer(HttpMethod.Delete, $"{Pods}/{pod.Metadata.Name}", HttpStatusCode.OK, pod);
            _pods.Add(pod);
        }
    }

    private List<V1Pod> Created() => [.. _api.Requests.Where(r => r.ToString() == $"POST {Pods}").Select(r => r.BodyAs<V1Pod>())];

    private V1DaemonSetStatus LastStatus() => _api.Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1DaemonSet>().Status;
}
