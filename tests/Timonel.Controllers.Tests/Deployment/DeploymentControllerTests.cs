using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Deployment;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;
using static Timonel.Controllers.Tests.Deployment.DeploymentObjects;

namespace Timonel.Controllers.Tests.Deployment;

public sealed class DeploymentControllerTests : IDisposable
{
    private const string Key = "ns-1/web";
    private const string ReplicaSets = "/apis/apps/v1/namespaces/ns-1/replicasets";
    private const string Status = "/apis/apps/v1/namespaces/ns-1/deployments/web/status";
    private readonly FakeApiServer _api = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly TestInformer<V1Deployment> _deployments = new();
    private readonly TestInformer<V1ReplicaSet> _replicaSets = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly DeploymentController _controller;

    public DeploymentControllerTests() =>
        _controller = new(_api.Client, _deployments.Informer, _replicaSets.Informer, _pods.Informer, _events, _time, NullLogger<DeploymentController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NewDeployment_CreatesAnOwnedReplicaSetNamedByTheTemplateHash()
    {
        _deployments.Add(DeploymentObject(4));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var rs = Assert.Single(_api.Requests, r => r.ToString() == $"POST {ReplicaSets}").BodyAs<V1ReplicaSet>();
        var hash = rs.Spec.Template.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.Equal(hash, rs.Spec.Selector.MatchLabels["pod-template-hash"]);
        Assert.Equal(hash, rs.Metadata.Labels["pod-template-hash"]);
        Assert.Equal("web", rs.Spec.Selector.MatchLabels["app"]);
        Assert.Equal(4, rs.Spec.Replicas);
        var owner = Assert.Single(rs.Metadata.OwnerReferences);
        Assert.Equal(("apps/v1", "Deployment", "web", Uid, true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal(("1", "4", "5"), (rs.Metadata.Annotations["deployment.kubernetes.io/revision"], rs.Metadata.Annotations["deployment.kubernetes.io/desired-replicas"], rs.Metadata.Annotations["deployment.kubernetes.io/max-replicas"]));
        var ev = Assert.Single(_events.Events);
        Assert.Equal(("Normal", "ScalingReplicaSet", $"Scaled up replica set web-{hash} from 0 to 4", "Deployment"), (ev.Type, ev.Reason, ev.Message, ev.InvolvedObject.Kind));
        var status = _api.Requests.First(r => r.ToString() == $"PUT {Status}").BodyAs<V1Deployment>();
        Assert.Equal("1", status.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        var progressing = Assert.Single(status.Status.Conditions, c => c.Type == "Progressing");
        Assert.Equal(("True", "NewReplicaSetCreated", $"Created new replica set \"web-{hash}\""), (progressing.Status, progressing.Reason, progressing.Message));
    }

    [Fact]
    public async Task SyncAsync_TemplateChanged_NewReplicaSetStartsAtTheSurgeAndOneOldReplicaGoes()
    {
        _deployments.Add(DeploymentObject(4));
        _replicaSets.Add(ReplicaSetObject("old", "nginx:1.26", 4, 4, 1, 4, 5, 10));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var created = Assert.Single(_api.Requests, r => r.ToString() == $"POST {ReplicaSets}").BodyAs<V1ReplicaSet>();
        Assert.Equal(1, created.Spec.Replicas);
        Assert.Equal("2", created.Metadata.Annotations["deployment.kubernetes.io/revision"]);

        // 4 available and maxUnavailable 1: one old replica may go at once (upstream does the same in one sync).
        var old = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {ReplicaSets}/web-old").BodyAs<V1ReplicaSet>();
        Assert.Equal(3, old.Spec.Replicas);
    }

    [Fact]
    public async Task SyncAsync_NewReplicaSetNotYetAvailable_ScalesTheOldOneDownOnlyToTheMinimumAvailable()
    {
        // 4 replicas, 25%: surge 1, unavailable 1. 4 old available + 1 new unavailable = 5.
        _deployments.Add(DeploymentObject(4));
        var newRs = ReplicaSetObject("new", "nginx:1.27", 1, 0, 2, 4, 5, 1);
        _replicaSets.Add(ReplicaSetObject("old", "nginx:1.26", 4, 4, 1, 4, 5, 10), newRs);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var old = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {ReplicaSets}/web-old").BodyAs<V1ReplicaSet>();
        Assert.Equal(3, old.Spec.Replicas);
        Assert.DoesNotContain(_api.Calls, c => c == $"PUT {ReplicaSets}/web-new");
        var ev = Assert.Single(_events.Events);
        Assert.Equal("Scaled down replica set web-old to 3 from 4", ev.Message);
    }

    [Fact]
    public async Task SyncAsync_OldReplicaSetScaledDown_NewOneGrowsToTheSurge()
    {
        _deployments.Add(DeploymentObject(4));
        _replicaSets.Add(ReplicaSetObject("old", "nginx:1.26", 3, 3, 1, 4, 5, 10), ReplicaSetObject("new", "nginx:1.27", 1, 0, 2, 4, 5, 1));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var grown = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {ReplicaSets}/web-new").BodyAs<V1ReplicaSet>();
        Assert.Equal(2, grown.Spec.Replicas);
        Assert.DoesNotContain(_api.Calls, c => c == $"PUT {ReplicaSets}/web-old");
    }

    [Fact]
    public async Task SyncAsync_ReplicasChangedMidRollout_ScalesEveryActiveReplicaSetInProportion()
    {
        _deployments.Add(DeploymentObject(20, maxSurge: "3", maxUnavailable: "2"));
        _replicaSets.Add(ReplicaSetObject("old", "nginx:1.26", 8, 8, 1, 10, 13, 10), ReplicaSetObject("new", "nginx:1.27", 5, 0, 2, 10, 13, 1));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var old = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {ReplicaSets}/web-old").BodyAs<V1ReplicaSet>();
        var newRs = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {ReplicaSets}/web-new").BodyAs<V1ReplicaSet>();
        Assert.Equal((14, 9), (old.Spec.Replicas, newRs.Spec.Replicas));
        Assert.All([old, newRs], rs => Assert.Equal(("20", "23"), (rs.Metadata.Annotations["deployment.kubernetes.io/desired-replicas"], rs.Metadata.Annotations["deployment.kubernetes.io/max-replicas"])));
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {ReplicaSets}");
    }

    [Fact]
    public async Task SyncAsync_Paused_CreatesNothingAndSaysPaused()
    {
        var d = DeploymentObject(4);
        d.Spec.Paused = true;
        _deployments.Add(d);
        _replicaSets.Add(ReplicaSetObject("old", "nginx:1.26", 4, 4, 1, 4, 5, 10));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.DoesNotContain(_api.Calls, c => c.StartsWith($"POST {ReplicaSets}", StringComparison.Ordinal) || c.StartsWith($"PUT {ReplicaSets}", StringComparison.Ordinal));
        var status = _api.Requests.First(r => r.ToString() == $"PUT {Status}").BodyAs<V1Deployment>().Status;
        var progressing = Assert.Single(status.Conditions, c => c.Type == "Progressing");
        Assert.Equal(("Unknown", "DeploymentPaused", "Deployment is paused"), (progressing.Status, progressing.Reason, progressing.Message));
    }

    [Fact]
    public async Task SyncAsync_Resumed_SaysResumedThenRollsOut()
    {
        var d = DeploymentObject(4);
        d.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "Unknown", Reason = "DeploymentPaused", Message = "Deployment is paused", LastUpdateTime = Start, LastTransitionTime = Start }];
        _deployments.Add(d);
        _replicaSets.Add(ReplicaSetObject("old", "nginx:1.26", 4, 4, 1, 4, 5, 10));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var first = _api.Requests.First(r => r.ToString() == $"PUT {Status}").BodyAs<V1Deployment>().Status;
        var progressing = Assert.Single(first.Conditions, c => c.Type == "Progressing");
        Assert.Equal(("Unknown", "DeploymentResumed", "Deployment is resumed"), (progressing.Status, progressing.Reason, progressing.Message));
        Assert.Single(_api.Requests, r => r.ToString() == $"POST {ReplicaSets}");
    }

    [Fact]
    public async Task SyncAsync_RecreateWithOldReplicas_ScalesThemToZeroFirstAndCreatesNothing()
    {
        _deployments.Add(DeploymentObject(3, strategy: "Recreate"));
        _replicaSets.Add(ReplicaSetObject("old", "nginx:1.26", 3, 3, 1, 3, 3, 10));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var old = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {ReplicaSets}/web-old").BodyAs<V1ReplicaSet>();
        Assert.Equal(0, old.Spec.Replicas);
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {ReplicaSets}");
    }

    [Fact]
    public async Task SyncAsync_RecreateWithOldPodsStillRunning_WaitsThenCreatesOnceTheyAreGone()
    {
        _deployments.Add(DeploymentObject(3, strategy: "Recreate"));
        var old = ReplicaSetObject("old", "nginx:1.26", 0, 0, 1, 3, 3, 10);
        old.Status.Replicas = 0;
        _replicaSets.Add(old);
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web-old-a",
                NamespaceProperty = DeploymentObjects.Namespace,
                Uid = "pod-a",
                Labels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "old" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-old", Uid = "rs-old", Controller = true }],
            },
            Status = new V1PodStatus { Phase = "Running" },
        };
        _pods.Add(pod);

        await _controller.SyncAsync(Key, CancellationToken.None);
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {ReplicaSets}");

        _pods.Delete(pod);
        await _controller.SyncAsync(Key, CancellationToken.None);

        var created = Assert.Single(_api.Requests, r => r.ToString() == $"POST {ReplicaSets}").BodyAs<V1ReplicaSet>();
        Assert.Equal(3, created.Spec.Replicas);
    }

    [Fact]
    public async Task SyncAsync_AllReplicasUpdatedAndAvailable_ProgressingSaysTheNewReplicaSetProgressed()
    {
        var d = DeploymentObject(2);
        d.Status = new V1DeploymentStatus
        {
            ObservedGeneration = 1,
            Replicas = 2,
            UpdatedReplicas = 2,
            AvailableReplicas = 1,
            ReadyReplicas = 1,
            Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "ReplicaSetUpdated", LastUpdateTime = Start, LastTransitionTime = Start }],
        };
        d.Metadata.Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = "1" };
        _deployments.Add(d);
        _replicaSets.Add(ReplicaSetObject("new", "nginx:1.27", 2, 2, 1, 2, 3, 1));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {Status}").BodyAs<V1Deployment>().Status;
        Assert.Equal((2, 2, 2, 2, 0), (status.Replicas, status.UpdatedReplicas, status.ReadyReplicas, status.AvailableReplicas, status.UnavailableReplicas ?? 0));
        var available = Assert.Single(status.Conditions, c => c.Type == "Available");
        Assert.Equal(("True", "MinimumReplicasAvailable", "Deployment has minimum availability."), (available.Status, available.Reason, available.Message));
        var progressing = Assert.Single(status.Conditions, c => c.Type == "Progressing");
        Assert.Equal(("True", "NewReplicaSetAvailable", "ReplicaSet \"web-new\" has successfully progressed."), (progressing.Status, progressing.Reason, progressing.Message));
    }

    [Fact]
    public async Task SyncAsync_NoProgress_RequeuesAtTheDeadlineThenReportsItExceeded()
    {
        var d = DeploymentObject(2);
        var progressing = new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "ReplicaSetUpdated", Message = "ReplicaSet \"web-new\" is progressing.", LastUpdateTime = Start, LastTransitionTime = Start };
        var available = new V1DeploymentCondition { Type = "Available", Status = "False", Reason = "MinimumReplicasUnavailable", Message = "Deployment does not have minimum availability.", LastUpdateTime = Start, LastTransitionTime = Start };
        d.Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = 2, UpdatedReplicas = 2, ReadyReplicas = 0, AvailableReplicas = 0, UnavailableReplicas = 2, Conditions = [progressing, available] };
        d.Metadata.Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = "1" };
        _deployments.Add(d);
        _replicaSets.Add(ReplicaSetObject("new", "nginx:1.27", 2, 0, 1, 2, 3, 1));
        _time.Advance(TimeSpan.FromSeconds(100));

        var first = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Equal(SyncResult.Requeue(TimeSpan.FromSeconds(501)), first);

        _time.Advance(TimeSpan.FromSeconds(501));
        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = Assert.Single(_api.Requests, r => r.ToString() == $"PUT {Status}").BodyAs<V1Deployment>().Status;
        var timedOut = Assert.Single(status.Conditions, c => c.Type == "Progressing");
        Assert.Equal(("False", "ProgressDeadlineExceeded", "ReplicaSet \"web-new\" has timed out progressing."), (timedOut.Status, timedOut.Reason, timedOut.Message));
    }

    [Fact]
    public async Task SyncAsync_NewReplicaSetReportsAFailure_CopiesReplicaFailure()
    {
        var d = DeploymentObject(2);
        _deployments.Add(d);
        var rs = ReplicaSetObject("new", "nginx:1.27", 2, 0, 1, 2, 3, 1);
        rs.Status.Replicas = 0;
        rs.Status.Conditions = [new V1ReplicaSetCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = "pods \"web-new-x\" is forbidden: exceeded quota", LastTransitionTime = Start }];
        _replicaSets.Add(rs);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = _api.Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1Deployment>().Status;
        var failure = Assert.Single(status.Conditions, c => c.Type == "ReplicaFailure");
        Assert.Equal(("True", "FailedCreate"), (failure.Status, failure.Reason));
    }

    [Fact]
    public async Task SyncAsync_CompleteWithOldReplicaSetsBeyondTheHistoryLimit_DeletesTheOldestEmptyOnes()
    {
        var d = DeploymentObject(2);
        d.Spec.RevisionHistoryLimit = 1;
        d.Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = 2, UpdatedReplicas = 2, ReadyReplicas = 2, AvailableReplicas = 2 };
        _deployments.Add(d);
        _replicaSets.Add(
            ReplicaSetObject("r1", "nginx:1.1", 0, 0, 1, 2, 3, 40),
            ReplicaSetObject("r2", "nginx:1.2", 0, 0, 2, 2, 3, 30),
            ReplicaSetObject("r3", "nginx:1.3", 0, 0, 3, 2, 3, 20),
            ReplicaSetObject("new", "nginx:1.27", 2, 2, 4, 2, 3, 10));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var deleted = _api.Calls.Where(c => c.StartsWith("DELETE", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal([$"DELETE {ReplicaSets}/web-r1", $"DELETE {ReplicaSets}/web-r2"], deleted);
    }

    [Fact]
    public async Task SyncAsync_NameTakenByAnotherTemplate_RaisesCollisionCount()
    {
        _deployments.Add(DeploymentObject(2));
        var hash = PodTemplateHash.Compute(Template("nginx:1.27"), null);
        var squatter = ReplicaSetObject(hash, "busybox", 1, 1, 1, 1, 1, 5);
        squatter.Metadata.OwnerReferences = null;
        squatter.Metadata.Labels = new Dictionary<string, string> { ["app"] = "other" };
        _replicaSets.Add(squatter);
        _api.Fail(HttpMethod.Post, ReplicaSets, HttpStatusCode.Conflict, "AlreadyExists");

        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync(Key, CancellationToken.None));

        var status = _api.Requests.Last(r => r.ToString() == $"PUT {Status}").BodyAs<V1Deployment>().Status;
        Assert.Equal(1, status.CollisionCount);
        Assert.NotEqual(hash, PodTemplateHash.Compute(Template("nginx:1.27"), 1));
    }

    [Fact]
    public async Task SyncAsync_OrphanMatchingAndOwnedNoLongerMatching_AdoptsOneReleasesTheOther()
    {
        _deployments.Add(DeploymentObject(2));
        var orphan = ReplicaSetObject("orphan", "nginx:1.27", 2, 2, 0, 2, 3, 5);
        orphan.Metadata.OwnerReferences = null;
        var relabelled = ReplicaSetObject("relabelled", "nginx:1.26", 0, 0, 1, 2, 3, 9);
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["app"] = "debug" };
        _replicaSets.Add(orphan, relabelled);

        await _controller.SyncAsync(Key, CancellationToken.None);

        var adopt = Assert.Single(_api.Requests, r => r.ToString() == $"PATCH {ReplicaSets}/web-orphan");
        Assert.Contains("\"controller\":true", adopt.Body, StringComparison.Ordinal);
        Assert.Contains($"\"uid\":\"{Uid}\"", adopt.Body, StringComparison.Ordinal);
        var release = Assert.Single(_api.Requests, r => r.ToString() == $"PATCH {ReplicaSets}/web-relabelled");
        Assert.Contains("\"$patch\":\"delete\"", release.Body, StringComparison.Ordinal);

        // The adopted ReplicaSet has the template: it is the new one, nothing is created.
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {ReplicaSets}");
    }

    [Fact]
    public async Task SyncAsync_TemplateBackToAnOlderReplicaSet_ItBecomesTheNewOneWithTheNextRevision()
    {
        // What kubectl rollout undo leaves: the Deployment's template is revision 1's again.
        _deployments.Add(DeploymentObject(4, image: "nginx:1.26"));
        _replicaSets.Add(ReplicaSetObject("r1", "nginx:1.26", 0, 0, 1, 4, 5, 10), ReplicaSetObject("r2", "nginx:1.27", 4, 4, 2, 4, 5, 5));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var revived = _api.Requests.First(r => r.ToString() == $"PUT {ReplicaSets}/web-r1").BodyAs<V1ReplicaSet>();
        Assert.Equal(("3", "1"), (revived.Metadata.Annotations["deployment.kubernetes.io/revision"], revived.Metadata.Annotations["deployment.kubernetes.io/revision-history"]));
        Assert.DoesNotContain(_api.Calls, c => c == $"POST {ReplicaSets}");
    }

    [Fact]
    public async Task Handlers_OwnedReplicaSetChangedOrOrphanAdded_QueueTheDeployment()
    {
        _deployments.Add(DeploymentObject(2));
        Assert.Equal(Key, await _controller.TakeAsync());
        var owned = ReplicaSetObject("a", "nginx:1.27", 2, 2, 1, 2, 3, 1);
        _replicaSets.Add(owned);
        Assert.Equal(Key, await _controller.TakeAsync());

        var orphan = ReplicaSetObject("b", "nginx:1.26", 1, 1, 1, 1, 1, 1);
        orphan.Metadata.OwnerReferences = null;
        _replicaSets.Add(orphan);
        Assert.Equal(Key, await _controller.TakeAsync());
    }
}
