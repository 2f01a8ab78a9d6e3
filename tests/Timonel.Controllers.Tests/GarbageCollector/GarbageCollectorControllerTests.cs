using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Informers;
using Timonel.Controllers.GarbageCollector;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.GarbageCollector;

public sealed class GarbageCollectorControllerTests : IDisposable
{
    private const string RsPath = "/apis/apps/v1/namespaces/ns-1/replicasets/web";
    private const string PodPath = "/api/v1/namespaces/ns-1/pods/web-1";
    private static readonly ApiResource _podsResource = new("v1", "Pod", "pods", Namespaced: true);
    private static readonly ApiResource _replicaSetsResource = new("apps/v1", "ReplicaSet", "replicasets", Namespaced: true);
    private static readonly ApiResource _configMapsResource = new("v1", "ConfigMap", "configmaps", Namespaced: true);
    private static readonly ApiResource _clusterRolesResource = new("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", Namespaced: false);

    private readonly FakeApiServer _api = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly TestInformer<PartialObjectMetadata> _pods = new();
    private readonly TestInformer<PartialObjectMetadata> _replicaSets = new();
    private readonly TestInformer<PartialObjectMetadata> _configMaps = new();
    private readonly TestInformer<PartialObjectMetadata> _clusterRoles = new();
    private readonly GarbageCollectorController _gc;

    public GarbageCollectorControllerTests()
    {
        _gc = new GarbageCollectorController(_api.Client, _events, new FakeTimeProvider(), NullLoggerFactory.Instance);
        _gc.Monitor(_podsResource, _pods.Informer);
        _gc.Monitor(_replicaSetsResource, _replicaSets.Informer);
        _gc.Monitor(_configMapsResource, _configMaps.Informer);
        _gc.Monitor(_clusterRolesResource, _clusterRoles.Informer);
    }

    public void Dispose()
    {
        _gc.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task Observe_DependentBeforeItsOwner_OwnerVirtualUntilObserved()
    {
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));
        var virtualAtFirst = _gc.IsVirtual("rs-1");
        var queued = await QueuedAsync();

        _replicaSets.Add(ReplicaSet("web", "rs-1"));

        Assert.True(virtualAtFirst);
        Assert.Equal(["delete/rs-1"], queued);
        Assert.False(_gc.IsVirtual("rs-1"));
        Assert.Equal(["pod-1"], _gc.DependentsOf("rs-1"));
    }

    [Fact]
    public async Task Observe_OwnerDeleted_NodeRemovedAndDependentsQueued()
    {
        _replicaSets.Add(ReplicaSet("web", "rs-1"));
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")), Pod("web-2", "pod-2", OwnedBy("ReplicaSet", "web", "rs-1")));

        _replicaSets.Delete(ReplicaSet("web", "rs-1"));

        Assert.False(_gc.GraphHasUid("rs-1"));
        Assert.Equal(["delete/pod-1", "delete/pod-2"], (await QueuedAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Observe_OwnerReferenceRemoved_DependentLeavesTheOwner()
    {
        _replicaSets.Add(ReplicaSet("web", "rs-1"));
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));

        _pods.Add(Pod("web-1", "pod-1"));

        Assert.Empty(_gc.DependentsOf("rs-1"));
        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task SyncAsync_OwnerGone_DependentDeletedInTheBackgroundWithItsUidAsPrecondition()
    {
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));
        AnswerGet(PodPath, Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));

        await _gc.SyncAsync("delete/pod-1", CancellationToken.None);

        Assert.Equal([$"GET {PodPath}", $"GET {RsPath}", $"DELETE {PodPath}"], _api.Calls);
        var options = JsonNode.Parse(_api.Requests[2].Body!)!;
        Assert.Equal("Background", options["propagationPolicy"]!.GetValue<string>());
        Assert.Equal("pod-1", options["preconditions"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task SyncAsync_OwnerRecreatedUnderTheSameName_OldDependentDeleted()
    {
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));
        AnswerGet(PodPath, Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));
        AnswerGet(RsPath, ReplicaSet("web", "rs-2"));

        await _gc.SyncAsync("delete/pod-1", CancellationToken.None);

        Assert.Equal([$"GET {PodPath}", $"GET {RsPath}", $"DELETE {PodPath}"], _api.Calls);
    }

    [Fact]
    public async Task SyncAsync_OwnerPresent_NothingDeleted()
    {
        _replicaSets.Add(ReplicaSet("web", "rs-1"));
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));
        AnswerGet(PodPath, Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));
        AnswerGet(RsPath, ReplicaSet("web", "rs-1"));

        await _gc.SyncAsync("delete/pod-1", CancellationToken.None);

        Assert.Equal([$"GET {PodPath}", $"GET {RsPath}"], _api.Calls);
    }

    [Fact]
    public async Task SyncAsync_OneOwnerGoneAnotherPresent_OnlyTheDanglingReferenceRemoved()
    {
        var owners = new[] { OwnedBy("ConfigMap", "a", "cm-a", "v1"), OwnedBy("ConfigMap", "b", "cm-b", "v1") };
        _configMaps.Add(ConfigMap("a", "cm-a"), ConfigMap("dep", "cm-dep", owners));
        AnswerGet("/api/v1/namespaces/ns-1/configmaps/dep", ConfigMap("dep", "cm-dep", owners));
        AnswerGet("/api/v1/namespaces/ns-1/configmaps/a", ConfigMap("a", "cm-a"));

        await _gc.SyncAsync("delete/cm-dep", CancellationToken.None);

        Assert.Equal("PATCH /api/v1/namespaces/ns-1/configmaps/dep", _api.Calls[^1]);
        var patch = JsonNode.Parse(_api.Requests[^1].Body!)!["metadata"]!;
        Assert.Equal("cm-dep", patch["uid"]!.GetValue<string>());
        Assert.Equal("""[{"$patch":"delete","uid":"cm-b"}]""", patch["ownerReferences"]!.ToJsonString());
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_VirtualOwnerAbsent_NodeDroppedAndDependentQueued()
    {
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));
        await QueuedAsync();

        await _gc.SyncAsync("delete/rs-1", CancellationToken.None);

        Assert.Equal([$"GET {RsPath}"], _api.Calls);
        Assert.False(_gc.GraphHasUid("rs-1"));
        Assert.Equal(["delete/pod-1"], await QueuedAsync());
    }

    [Fact]
    public async Task SyncAsync_VirtualOwnerPresent_KeptAndRetriedUntilObserved()
    {
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1")));
        AnswerGet(RsPath, ReplicaSet("web", "rs-1"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _gc.SyncAsync("delete/rs-1", CancellationToken.None));

        Assert.True(_gc.IsVirtual("rs-1"));
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Foreground_OwnerWaitsOnItsBlockingDependents_FinalizerRemovedOnceTheyAreGone()
    {
        _replicaSets.Add(ReplicaSet("web", "rs-1"));
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1", block: true)));
        var deleting = ReplicaSet("web", "rs-1", deleting: true, finalizers: [Finalizers.DeleteDependents]);
        AnswerGet(RsPath, deleting);
        AnswerGet(PodPath, Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1", block: true)));

        _replicaSets.Add(deleting);
        var queued = await QueuedAsync();
        await _gc.SyncAsync("delete/rs-1", CancellationToken.None);
        var whileBlocked = _api.Calls;
        var blockingQueued = await QueuedAsync();
        await _gc.SyncAsync("delete/pod-1", CancellationToken.None);
        var podDeletion = JsonNode.Parse(_api.Requests[^1].Body!)!["propagationPolicy"]!.GetValue<string>();
        _pods.Delete(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1", block: true)));
        var queuedAfter = await QueuedAsync();
        await _gc.SyncAsync("delete/rs-1", CancellationToken.None);

        Assert.Equal(["delete/pod-1", "delete/rs-1"], queued.Order(StringComparer.Ordinal));
        Assert.Equal([$"GET {RsPath}"], whileBlocked);
        Assert.Equal(["delete/pod-1"], blockingQueued);
        Assert.Equal("Background", podDeletion);
        Assert.Equal(["delete/rs-1"], queuedAfter);
        Assert.Equal($"PATCH {RsPath}", _api.Calls[^1]);
        Assert.True(RemovesField(_api.Requests[^1], "finalizers"));
    }

    [Fact]
    public async Task Foreground_DependentWithDependentsOfItsOwn_DeletedInTheForeground()
    {
        var waitingOwner = ConfigMap("a", "cm-a", [], deleting: true, finalizers: [Finalizers.DeleteDependents]);
        _configMaps.Add(waitingOwner, ConfigMap("mid", "cm-mid", [OwnedBy("ConfigMap", "a", "cm-a", "v1")]), ConfigMap("leaf", "cm-leaf", [OwnedBy("ConfigMap", "mid", "cm-mid", "v1")]));
        AnswerGet("/api/v1/namespaces/ns-1/configmaps/a", waitingOwner);
        AnswerGet("/api/v1/namespaces/ns-1/configmaps/mid", ConfigMap("mid", "cm-mid", [OwnedBy("ConfigMap", "a", "cm-a", "v1")]));

        await _gc.SyncAsync("delete/cm-mid", CancellationToken.None);

        Assert.Equal("DELETE /api/v1/namespaces/ns-1/configmaps/mid", _api.Calls[^1]);
        Assert.Equal("Foreground", JsonNode.Parse(_api.Requests[^1].Body!)!["propagationPolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Orphan_OwnerWithTheOrphanFinalizer_DependentsLoseTheReferenceThenTheFinalizerGoes()
    {
        _replicaSets.Add(ReplicaSet("web", "rs-1"));
        _pods.Add(Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1", block: true)));
        var orphaning = ReplicaSet("web", "rs-1", deleting: true, finalizers: [Finalizers.OrphanDependents]);
        AnswerGet(RsPath, orphaning);
        AnswerGet(PodPath, Pod("web-1", "pod-1", OwnedBy("ReplicaSet", "web", "rs-1", block: true)));

        _replicaSets.Add(orphaning);
        var queued = await QueuedAsync();
        await _gc.SyncAsync("orphan/rs-1", CancellationToken.None);

        Assert.Equal(["orphan/rs-1"], queued);
        Assert.Equal([$"GET {PodPath}", $"PATCH {PodPath}", $"GET {RsPath}", $"PATCH {RsPath}"], _api.Calls);
        Assert.True(RemovesField(_api.Requests[1], "ownerReferences"));
        Assert.True(RemovesField(_api.Requests[3], "finalizers"));
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Observe_OwnerInAnotherNamespace_OwnerRefInvalidNamespaceEvent()
    {
        _configMaps.Add(ConfigMap("a", "cm-a", [], ns: "ns-2"));
        _configMaps.Add(ConfigMap("dep", "cm-dep", [OwnedBy("ConfigMap", "a", "cm-a", "v1")]));
        await QueuedAsync();

        var ev = Assert.Single(_events.Events);
        Assert.Equal(("Warning", "OwnerRefInvalidNamespace", "dep", "ns-1"), (ev.Type, ev.Reason, ev.InvolvedObject.Name, ev.InvolvedObject.NamespaceProperty));
        Assert.Equal("ownerRef [v1/ConfigMap, namespace: ns-1, name: a, uid: cm-a] does not exist in namespace \"ns-1\"", ev.Message);
    }

    [Fact]
    public async Task Observe_ClusterScopedDependentThenItsNamespacedOwner_EventInDefaultAndDependentChecked()
    {
        _clusterRoles.Add(new PartialObjectMetadata { Metadata = new V1ObjectMeta { Name = "role", Uid = "cr-1", OwnerReferences = [OwnedBy("ConfigMap", "a", "cm-a", "v1")] } });
        await QueuedAsync();

        _configMaps.Add(ConfigMap("a", "cm-a"));
        var queued = await QueuedAsync();

        Assert.Equal(["delete/cr-1"], queued);
        var ev = Assert.Single(_events.Events);
        Assert.Null(ev.InvolvedObject.NamespaceProperty);
        Assert.Equal("ownerRef [v1/ConfigMap, namespace: , name: a, uid: cm-a] does not exist in namespace \"\"", ev.Message);
    }

    [Fact]
    public async Task SyncAsync_ClusterScopedDependentOfANamespacedOwner_NeitherDeletedNorRetried()
    {
        var role = new PartialObjectMetadata { Metadata = new V1ObjectMeta { Name = "role", Uid = "cr-1", ResourceVersion = "3", OwnerReferences = [OwnedBy("ConfigMap", "a", "cm-a", "v1")] } };
        _clusterRoles.Add(role);
        AnswerGet("/apis/rbac.authorization.k8s.io/v1/clusterroles/role", role);

        var result = await _gc.SyncAsync("delete/cr-1", CancellationToken.None);

        Assert.Equal(SyncResult.Done, result);
        Assert.Equal(["GET /apis/rbac.authorization.k8s.io/v1/clusterroles/role"], _api.Calls);
    }

    private static V1OwnerReference OwnedBy(string kind, string name, string uid, string apiVersion = "apps/v1", bool block = false) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = uid, Controller = true, BlockOwnerDeletion = block ? true : null };

    private static PartialObjectMetadata Pod(string name, string uid, params V1OwnerReference[] owners) => Object(name, uid, "ns-1", owners, false, null);

    private static PartialObjectMetadata ReplicaSet(string name, string uid, bool deleting = false, string[]? finalizers = null) =>
        Object(name, uid, "ns-1", [], deleting, finalizers);

    private static PartialObjectMetadata ConfigMap(string name, string uid, V1OwnerReference[]? owners = null, bool deleting = false, string[]? finalizers = null, string ns = "ns-1") =>
        Object(name, uid, ns, owners ?? [], deleting, finalizers);

    private static PartialObjectMetadata Object(string name, string uid, string ns, V1OwnerReference[] owners, bool deleting, string[]? finalizers) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Uid = uid,
            ResourceVersion = "7",
            OwnerReferences = owners.Length == 0 ? null : owners,
            Finalizers = finalizers,
            DeletionTimestamp = deleting ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null,
        },
    };

    /// <summary>Whether a merge patch sets metadata.<paramref name="field"/> to null, which removes it.</summary>
    private static bool RemovesField(RecordedRequest patch, string field) =>
        JsonNode.Parse(patch.Body!)!["metadata"]!.AsObject().TryGetPropertyValue(field, out var value) && value is null;

    private void AnswerGet(string path, PartialObjectMetadata obj) => _api.Answer(HttpMethod.Get, path, HttpStatusCode.OK, obj);

    /// <summary>Every key queued so far, taken off the queue.</summary>
    private async Task<List<string>> QueuedAsync()
    {
        var keys = new List<string>();
        while (_gc.Queue.Len > 0)
        {
            keys.Add(await _gc.TakeAsync());
        }

        return keys;
    }
}
