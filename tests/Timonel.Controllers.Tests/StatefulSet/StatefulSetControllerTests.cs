using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.StatefulSet;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.StatefulSet;

public sealed class StatefulSetControllerTests : IDisposable
{
    private const string Key = "ns-1/web";
    private const string Uid = "sts-uid";
    private const string Pods = "/api/v1/namespaces/ns-1/pods";
    private const string Claims = "/api/v1/namespaces/ns-1/persistentvolumeclaims";
    private const string Revisions = "/apis/apps/v1/namespaces/ns-1/controllerrevisions";
    private const string Status = "/apis/apps/v1/namespaces/ns-1/statefulsets/web/status";
    private static readonly DateTime _start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(_start);
    private readonly TestInformer<V1StatefulSet> _sets = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly TestInformer<V1ControllerRevision> _revisions = new();
    private readonly TestInformer<V1PersistentVolumeClaim> _claims = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly StatefulSetController _controller;
    private int _mark;

    public StatefulSetControllerTests() =>
        _controller = new(_api.Client, _sets.Informer, _pods.Informer, _revisions.Informer, _claims.Informer, _events, _time, NullLogger<StatefulSetController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_OrderedReadyNoPods_CreatesOnlyOrdinalZeroWithItsIdentityAndARevision()
    {
        _sets.Add(SetObject(3));

        await SyncAsync();

        var pod = Assert.Single(Created<V1Pod>(Pods));
        var revision = Assert.Single(Created<V1ControllerRevision>(Revisions));
        Assert.Equal("web-0", pod.Metadata.Name);
        Assert.Equal(("web-0", "0", revision.Metadata.Name, "web"), (pod.Metadata.Labels["statefulset.kubernetes.io/pod-name"], pod.Metadata.Labels["apps.kubernetes.io/pod-index"], pod.Metadata.Labels["controller-revision-hash"], pod.Metadata.Labels["app"]));
        Assert.Equal(("web-0", "web-svc"), (pod.Spec.Hostname, pod.Spec.Subdomain));
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("apps/v1", "StatefulSet", "web", Uid, true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Matches("^web-[bcdfghjklmnpqrstvwxz2456789]+$", revision.Metadata.Name);
        Assert.Equal(1, revision.Revision);
        Assert.Equal(revision.Metadata.Name, pod.Metadata.Labels["controller-revision-hash"]);
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Normal", "SuccessfulCreate", "create Pod web-0 in StatefulSet web successful"));
    }

    [Fact]
    public async Task SyncAsync_VolumeClaimTemplates_CreatesTheClaimBeforeThePodAndPointsTheVolumeAtIt()
    {
        var set = SetObject(1);
        set.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "data", Labels = new Dictionary<string, string> { ["tier"] = "db" } },
            Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } } },
        }];
        _sets.Add(set);

        await SyncAsync();

        var calls = Calls.Where(c => c.StartsWith("POST", StringComparison.Ordinal) && !c.Contains("controllerrevisions", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"POST {Claims}", $"POST {Pods}"], calls);
        var claim = Assert.Single(Created<V1PersistentVolumeClaim>(Claims));
        Assert.Equal("data-web-0", claim.Metadata.Name);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "db", ["app"] = "web" }, claim.Metadata.Labels);
        Assert.Null(claim.Metadata.OwnerReferences);
        var volume = Assert.Single(Assert.Single(Created<V1Pod>(Pods)).Spec.Volumes);
        Assert.Equal(("data", "data-web-0"), (volume.Name, volume.PersistentVolumeClaim.ClaimName));
        Assert.Contains(_events.Events, e => (e.Reason, e.Message) == ("SuccessfulCreate", "create Claim data-web-0 Pod web-0 in StatefulSet web success"));
    }

    [Fact]
    public async Task SyncAsync_OrderedReadyOrdinalZeroNotReady_CreatesNothingMore()
    {
        _sets.Add(SetObject(3));
        await SyncAsync();
        _pods.Add(Observed(Created<V1Pod>(Pods)[0], "Running", ready: false));

        await SyncAsync();

        Assert.Single(Created<V1Pod>(Pods));
    }

    [Fact]
    public async Task SyncAsync_OrderedReadyOrdinalZeroReady_CreatesOrdinalOne()
    {
        _sets.Add(SetObject(3));
        await SyncAsync();
        _pods.Add(Observed(Created<V1Pod>(Pods)[0], "Running", ready: true));

        await SyncAsync();

        Assert.Equal(["web-0", "web-1"], Created<V1Pod>(Pods).Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task SyncAsync_ParallelNoPods_CreatesEveryOrdinalAtOnce()
    {
        var set = SetObject(3);
        set.Spec.PodManagementPolicy = "Parallel";
        _sets.Add(set);

        await SyncAsync();

        Assert.Equal(["web-0", "web-1", "web-2"], Created<V1Pod>(Pods).Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_OrdinalsStart_NamesPodsFromTheStart()
    {
        var set = SetObject(2);
        set.Spec.PodManagementPolicy = "Parallel";
        set.Spec.Ordinals = new V1StatefulSetOrdinals { Start = 5 };
        _sets.Add(set);

        await SyncAsync();

        var created = Created<V1Pod>(Pods).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(["web-5", "web-6"], created.Select(p => p.Metadata.Name));
        Assert.Equal(["5", "6"], created.Select(p => p.Metadata.Labels["apps.kubernetes.io/pod-index"]));
    }

    [Fact]
    public async Task SyncAsync_ScaledDown_DeletesTheHighestOrdinalOnlyAndWaitsForItToTerminate()
    {
        var revision = await ReadyPodsAsync(3);
        _sets.Add(SetObject(1, currentRevision: revision));

        await SyncAsync();

        Assert.Equal([$"DELETE {Pods}/web-2"], Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)));
        Assert.Contains(_events.Events, e => (e.Type, e.Reason, e.Message) == ("Normal", "SuccessfulDelete", "delete Pod web-2 in StatefulSet web successful"));

        var terminating = Observed(_pods.Informer.Cache.Get("ns-1", "web-2")!, "Running", ready: true);
        terminating.Metadata.DeletionTimestamp = _start;
        _pods.Add(terminating);
        await SyncAsync();

        Assert.Single(Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_FailedPod_DeletedForReplacement()
    {
        var revision = await ReadyPodsAsync(2);
        _sets.Add(SetObject(2, currentRevision: revision));
        _pods.Add(Observed(_pods.Informer.Cache.Get("ns-1", "web-1")!, "Failed", ready: false));

        await SyncAsync();

        Assert.Equal([$"DELETE {Pods}/web-1"], Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SyncAsync_AllReady_WritesStatusWithCountsAndRevisions()
    {
        var revision = await ReadyPodsAsync(2);
        _sets.Add(SetObject(2));

        await SyncAsync();

        var status = Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1StatefulSet>().Status;
        Assert.Equal((2, 2, 2, 2, 2, revision, revision, 7L, 0), (status.Replicas, status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0, status.CurrentReplicas ?? 0, status.UpdatedReplicas ?? 0, status.CurrentRevision, status.UpdateRevision, status.ObservedGeneration ?? 0, status.CollisionCount ?? -1));
    }

    [Fact]
    public async Task SyncAsync_TemplateChanged_ReplacesTheHighestOrdinalFirstAndWaitsForIt()
    {
        var old = await ReadyPodsAsync(3);
        var set = SetObject(3, currentRevision: old, image: "nginx:2");
        _sets.Add(set);

        await SyncAsync();

        var update = Assert.Single(Created<V1ControllerRevision>(Revisions), r => r.Revision == 2);
        Assert.Equal([$"DELETE {Pods}/web-2"], Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)));
        var status = Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1StatefulSet>().Status;
        Assert.Equal((old, update.Metadata.Name, 2), (status.CurrentRevision, status.UpdateRevision, status.CurrentReplicas ?? 0));

        // web-2 comes back at the update revision but not ready yet: web-1 waits.
        _revisions.Add(update);
        _pods.Delete(_pods.Informer.Cache.Get("ns-1", "web-2")!);
        await SyncAsync();
        var replacement = Assert.Single(Created<V1Pod>(Pods), p => p.Metadata.Name == "web-2" && p.Metadata.Labels["controller-revision-hash"] == update.Metadata.Name);
        Assert.Equal("nginx:2", replacement.Spec.Containers[0].Image);
        _pods.Add(Observed(replacement, "Running", ready: false));
        await SyncAsync();

        Assert.Single(Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_Partition_ReplacesOnlyOrdinalsFromThePartition()
    {
        var old = await ReadyPodsAsync(3);
        var set = SetObject(3, currentRevision: old, image: "nginx:2");
        set.Spec.UpdateStrategy.RollingUpdate.Partition = 2;
        _sets.Add(set);
        await SyncAsync();
        var update = Assert.Single(Created<V1ControllerRevision>(Revisions), r => r.Revision == 2);
        _revisions.Add(update);
        _pods.Delete(_pods.Informer.Cache.Get("ns-1", "web-2")!);
        await SyncAsync();
        _pods.Add(Observed(Created<V1Pod>(Pods).Last(p => p.Metadata.Name == "web-2"), "Running", ready: true));

        await SyncAsync();

        Assert.Equal([$"DELETE {Pods}/web-2"], Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SyncAsync_OnDelete_LeavesPodsOfTheOldRevision()
    {
        var old = await ReadyPodsAsync(2);
        var set = SetObject(2, currentRevision: old, image: "nginx:2");
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };
        _sets.Add(set);

        await SyncAsync();

        Assert.DoesNotContain(Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_RevisionUnchanged_CreatesNoRevision()
    {
        var revision = await ReadyPodsAsync(1);
        _sets.Add(SetObject(1, currentRevision: revision));

        await SyncAsync();

        Assert.Empty(Created<V1ControllerRevision>(Revisions));
    }

    [Theory]
    [InlineData("Retain", "Retain", null)]
    [InlineData("Delete", "Retain", "StatefulSet")]
    [InlineData("Delete", "Delete", "StatefulSet")]
    [InlineData("Retain", "Delete", null)]
    public async Task SyncAsync_RetentionPolicyOfAKeptOrdinal_ClaimOwnedAsThePolicySays(string whenDeleted, string whenScaled, string? ownerKind)
    {
        var revision = await ReadyPodsAsync(1, withClaims: true);
        var set = SetObject(1, currentRevision: revision, withClaims: true);
        set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = whenDeleted, WhenScaled = whenScaled };
        _sets.Add(set);

        await SyncAsync();

        var updated = Requests.Where(r => r.ToString() == $"PUT {Claims}/data-web-0").Select(r => r.BodyAs<V1PersistentVolumeClaim>()).LastOrDefault();
        Assert.Equal(ownerKind, updated?.Metadata.OwnerReferences?.Single().Kind);
    }

    [Fact]
    public async Task SyncAsync_WhenScaledDeleteAndOrdinalCondemned_ClaimOwnedByItsPod()
    {
        var revision = await ReadyPodsAsync(2, withClaims: true);
        var set = SetObject(1, currentRevision: revision, withClaims: true);
        set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Retain", WhenScaled = "Delete" };
        _sets.Add(set);

        await SyncAsync();

        var owner = Requests.Last(r => r.ToString() == $"PUT {Claims}/data-web-1").BodyAs<V1PersistentVolumeClaim>().Metadata.OwnerReferences.Single();
        Assert.Equal(("v1", "Pod", "web-1", "uid-web-1", true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller));
        Assert.DoesNotContain(Calls, c => c == $"PUT {Claims}/data-web-0");
    }

    [Fact]
    public async Task SyncAsync_OrphanMemberPod_AdoptedBeforeCounting()
    {
        var revision = await ReadyPodsAsync(1);
        var orphan = _pods.Informer.Cache.Get("ns-1", "web-0")!;
        orphan.Metadata.OwnerReferences = null;
        _pods.Add(orphan);
        _sets.Add(SetObject(1, currentRevision: revision));

        await SyncAsync();

        Assert.Contains($"PATCH {Pods}/web-0", Calls);
        Assert.DoesNotContain($"POST {Pods}", Calls);
    }

    private async Task SyncAsync() => await _controller.SyncAsync(Key, CancellationToken.None);

    /// <summary>The requests since the state a test started from was seeded.</summary>
    private IReadOnlyList<RecordedRequest> Requests => [.. _api.Requests.Skip(_mark)];

    private IReadOnlyList<string> Calls => [.. Requests.Select(r => r.ToString())];

    private List<T> Created<T>(string path) => [.. Requests.Where(r => r.ToString() == $"POST {path}").Select(r => r.BodyAs<T>())];

    /// <summary>
    /// Runs a Parallel set of <paramref name="count"/> once to have its revision and pods created, then stores them
    /// (and their claims) in the caches as Running and Ready; the calls so far are left out of Requests and Calls.
    /// Answers the revision's name.
    /// </summary>
    private async Task<string> ReadyPodsAsync(int count, bool withClaims = false)
    {
        var set = SetObject(count, withClaims: withClaims);
        set.Spec.PodManagementPolicy = "Parallel";
        _sets.Add(set);
        await SyncAsync();
        var seeded = Requests;
        _mark = _api.Requests.Count;
        var revision = seeded.Single(r => r.ToString() == $"POST {Revisions}").BodyAs<V1ControllerRevision>();
        revision.Metadata.Uid = "rev-uid-1";
        _revisions.Add(revision);
        foreach (var pod in seeded.Where(r => r.ToString() == $"POST {Pods}").Select(r => r.BodyAs<V1Pod>()))
        {
            var observed = Observed(pod, "Running", ready: true);
            _pods.Add(observed);

            // The API server answers a pod deletion with the pod.
            _api.Answer(HttpMethod.Delete, $"{Pods}/{pod.Metadata.Name}", System.Net.HttpStatusCode.OK, observed);
        }

        foreach (var claim in seeded.Where(r => r.ToString() == $"POST {Claims}").Select(r => r.BodyAs<V1PersistentVolumeClaim>()))
        {
            claim.Metadata.Uid = "uid-" + claim.Metadata.Name;
            _claims.Add(claim);
        }

        return revision.Metadata.Name;
    }

    private V1Pod Observed(V1Pod pod, string phase, bool ready)
    {
        var copy = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        copy.Metadata.Uid ??= "uid-" + pod.Metadata.Name;
        copy.Metadata.ResourceVersion = Guid.NewGuid().ToString("N");
        copy.Metadata.CreationTimestamp = _start;
        copy.Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = _start }],
        };
        return copy;
    }

    private static V1StatefulSet SetObject(int replicas, string? currentRevision = null, string image = "nginx:1", bool withClaims = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1", Uid = Uid, Generation = 7 },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = "web-svc",
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            PodManagementPolicy = "OrderedReady",
            UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 0 } },
            RevisionHistoryLimit = 10,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
            },
            VolumeClaimTemplates = withClaims
                ? [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" }, Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"] } }]
                : null,
        },
        Status = currentRevision is null ? null : new V1StatefulSetStatus { CurrentRevision = currentRevision, UpdateRevision = currentRevision, ObservedGeneration = 7, CollisionCount = 0 },
    };
}
