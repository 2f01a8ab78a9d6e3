using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Disruption;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.Disruption;

public sealed class DisruptionControllerTests : IDisposable
{
    private const string Key = "ns-1/web";
    private const string StatusPath = "/apis/policy/v1/namespaces/ns-1/poddisruptionbudgets/web/status";
    private static readonly DateTime _start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(_start);
    private readonly TestInformer<V1PodDisruptionBudget> _budgets = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly TestInformer<V1ReplicaSet> _replicaSets = new();
    private readonly TestInformer<V1ReplicationController> _replicationControllers = new();
    private readonly TestInformer<V1Deployment> _deployments = new();
    private readonly TestInformer<V1StatefulSet> _statefulSets = new();
    private readonly DisruptionController _controller;

    public DisruptionControllerTests() => _controller = new(
        _api.Client,
        _budgets.Informer,
        _pods.Informer,
        _replicaSets.Informer,
        _replicationControllers.Informer,
        _deployments.Informer,
        _statefulSets.Informer,
        _time,
        NullLogger<DisruptionController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ThreeReadyPodsMinAvailableTwo_OneDisruptionAllowed()
    {
        _budgets.Add(Budget(minAvailable: "2"));
        _pods.Add(Pod("web-0"), Pod("web-1"), Pod("web-2"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = WrittenStatus();
        Assert.Equal((3, 2, 3, 1, 1L), (status.CurrentHealthy, status.DesiredHealthy, status.ExpectedPods, status.DisruptionsAllowed, status.ObservedGeneration));
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("DisruptionAllowed", "True", "SufficientPods", _start), (condition.Type, condition.Status, condition.Reason, condition.LastTransitionTime));
    }

    [Fact]
    public async Task SyncAsync_MinAvailableEqualsReadyPods_NoDisruptionAllowed()
    {
        _budgets.Add(Budget(minAvailable: "1"));
        _pods.Add(Pod("web-0"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = WrittenStatus();
        Assert.Equal((1, 1, 1, 0), (status.CurrentHealthy, status.DesiredHealthy, status.ExpectedPods, status.DisruptionsAllowed));
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("False", "InsufficientPods"), (condition.Status, condition.Reason));
    }

    [Fact]
    public async Task SyncAsync_UnreadyTerminatingAndOtherNamespacePods_NotHealthy()
    {
        _budgets.Add(Budget(minAvailable: "1"));
        var terminating = Pod("terminating");
        terminating.Metadata.DeletionTimestamp = _start;
        var elsewhere = Pod("elsewhere");
        elsewhere.Metadata.NamespaceProperty = "ns-2";
        _pods.Add(Pod("ready"), Pod("unready", ready: false), terminating, elsewhere, Pod("other-app", app: "db"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = WrittenStatus();
        Assert.Equal((1, 3, 0), (status.CurrentHealthy, status.ExpectedPods, status.DisruptionsAllowed));
    }

    [Fact]
    public async Task SyncAsync_PercentMinAvailable_ScaledByTheReplicaSetsReplicasRoundedUp()
    {
        _replicaSets.Add(ReplicaSet("web-rs", "rs-uid", 3));
        _budgets.Add(Budget(minAvailable: "50%"));
        _pods.Add(Pod("web-0", owner: Owner("apps/v1", "ReplicaSet", "web-rs", "rs-uid")), Pod("web-1", owner: Owner("apps/v1", "ReplicaSet", "web-rs", "rs-uid")));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = WrittenStatus();
        Assert.Equal((2, 2, 3, 0), (status.CurrentHealthy, status.DesiredHealthy, status.ExpectedPods, status.DisruptionsAllowed));
    }

    [Fact]
    public async Task SyncAsync_MaxUnavailable_ScaledByTheDeploymentNotItsReplicaSets()
    {
        var deployment = new V1Deployment { Metadata = Meta("web-deploy", "deploy-uid"), Spec = new V1DeploymentSpec { Replicas = 4 } };
        _deployments.Add(deployment);
        var rs = ReplicaSet("web-rs", "rs-uid", 2);
        rs.Metadata.OwnerReferences = [Owner("apps/v1", "Deployment", "web-deploy", "deploy-uid")];
        var oldRs = ReplicaSet("web-old", "old-uid", 2);
        oldRs.Metadata.OwnerReferences = [Owner("apps/v1", "Deployment", "web-deploy", "deploy-uid")];
        _replicaSets.Add(rs, oldRs);
        _budgets.Add(Budget(maxUnavailable: "1"));
        _pods.Add(
            Pod("web-0", owner: Owner("apps/v1", "ReplicaSet", "web-rs", "rs-uid")),
            Pod("web-1", owner: Owner("apps/v1", "ReplicaSet", "web-rs", "rs-uid")),
            Pod("web-2", owner: Owner("apps/v1", "ReplicaSet", "web-old", "old-uid")),
            Pod("web-3", owner: Owner("apps/v1", "ReplicaSet", "web-old", "old-uid")));

        await _controller.SyncAsync(Key, CancellationToken.None);

        var status = WrittenStatus();
        Assert.Equal((4, 3, 4, 1), (status.CurrentHealthy, status.DesiredHealthy, status.ExpectedPods, status.DisruptionsAllowed));
    }

    [Fact]
    public async Task SyncAsync_PercentMaxUnavailableOverReplicationControllerAndStatefulSet_SumsTheirReplicas()
    {
        _replicationControllers.Add(new V1ReplicationController { Metadata = Meta("web-rc", "rc-uid"), Spec = new V1ReplicationControllerSpec { Replicas = 2 } });
        _statefulSets.Add(new V1StatefulSet { Metadata = Meta("web-ss", "ss-uid"), Spec = new V1StatefulSetSpec { Replicas = 2 } });
        _budgets.Add(Budget(maxUnavailable: "25%"));
        _pods.Add(Pod("rc-0", owner: Owner("v1", "ReplicationController", "web-rc", "rc-uid")), Pod("ss-0", owner: Owner("apps/v1", "StatefulSet", "web-ss", "ss-uid")));

        await _controller.SyncAsync(Key, CancellationToken.None);

        // 25% of 4 rounds up to 1 unavailable: 3 desired, 2 healthy.
        var status = WrittenStatus();
        Assert.Equal((2, 3, 4, 0), (status.CurrentHealthy, status.DesiredHealthy, status.ExpectedPods, status.DisruptionsAllowed));
    }

    [Fact]
    public async Task SyncAsync_PercentWithPodOfUnknownController_SyncFailedNoDisruptionAllowed()
    {
        var budget = Budget(minAvailable: "50%");
        budget.Status = new V1PodDisruptionBudgetStatus { DisruptionsAllowed = 2, ObservedGeneration = 1 };
        _budgets.Add(budget);
        _pods.Add(Pod("web-0", owner: Owner("apps/v1", "ReplicaSet", "gone", "gone-uid")));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(SyncResult.Done, result);
        var status = WrittenStatus();
        Assert.Equal(0, status.DisruptionsAllowed);
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("False", "SyncFailed", "found no controllers for pod \"web-0\""), (condition.Status, condition.Reason, condition.Message));
    }

    [Fact]
    public async Task SyncAsync_EmptySelector_SelectsEveryPodOfTheNamespace()
    {
        var budget = Budget(minAvailable: "1");
        budget.Spec.Selector = new V1LabelSelector();
        _budgets.Add(budget);
        _pods.Add(Pod("web-0"), Pod("db-0", app: "db"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal((2, 1), (WrittenStatus().CurrentHealthy, WrittenStatus().DisruptionsAllowed));
    }

    [Fact]
    public async Task SyncAsync_StatusAlreadyCurrent_WritesNothing()
    {
        _budgets.Add(Budget(minAvailable: "2"));
        _pods.Add(Pod("web-0"), Pod("web-1"), Pod("web-2"));
        await _controller.SyncAsync(Key, CancellationToken.None);
        var written = Budget(minAvailable: "2");
        written.Status = WrittenStatus();
        _budgets.Add(written);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Single(_api.Calls, c => c == $"PUT {StatusPath}");
    }

    [Fact]
    public async Task SyncAsync_RecentEvictionNotYetTerminating_PodNotHealthyAndRecheckedWhenItExpires()
    {
        var budget = Budget(minAvailable: "1");
        budget.Status = new V1PodDisruptionBudgetStatus { DisruptedPods = new Dictionary<string, DateTime?> { ["web-0"] = _start.AddSeconds(-30), ["gone"] = _start } };
        _budgets.Add(budget);
        _pods.Add(Pod("web-0"), Pod("web-1"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        var status = WrittenStatus();
        Assert.Equal((1, 0), (status.CurrentHealthy, status.DisruptionsAllowed));
        Assert.Equal(["web-0"], status.DisruptedPods.Keys);
        Assert.Equal(TimeSpan.FromSeconds(90), result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_EvictionOlderThanTheDeletionTimeout_DroppedAndPodHealthyAgain()
    {
        var budget = Budget(minAvailable: "1");
        budget.Status = new V1PodDisruptionBudgetStatus { DisruptedPods = new Dictionary<string, DateTime?> { ["web-0"] = _start.AddMinutes(-3) } };
        _budgets.Add(budget);
        _pods.Add(Pod("web-0"), Pod("web-1"));

        var result = await _controller.SyncAsync(Key, CancellationToken.None);

        var status = WrittenStatus();
        Assert.Equal((2, 1), (status.CurrentHealthy, status.DisruptionsAllowed));
        Assert.True(status.DisruptedPods is null or { Count: 0 });
        Assert.Null(result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_StatusWriteConflicts_Throws()
    {
        _budgets.Add(Budget(minAvailable: "1"));
        _api.Fail(HttpMethod.Put, StatusPath, HttpStatusCode.Conflict, "Conflict");

        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync(Key, CancellationToken.None));

        Assert.Single(_api.Calls, c => c == $"PUT {StatusPath}");
    }

    [Fact]
    public async Task SyncAsync_BudgetGone_WritesNothing()
    {
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task PodAdded_MatchingBudget_QueuesItAndNoOtherBudget()
    {
        _budgets.Add(Budget(minAvailable: "1"), Budget(minAvailable: "1", name: "db", app: "db"));
        await DrainAsync(2);

        _pods.Add(Pod("web-0"));

        Assert.Equal(Key, await _controller.TakeAsync());
        Assert.Equal(0, _controller.Queue.Len);
    }

    [Fact]
    public async Task ReplicaSetScaled_BudgetWithPercent_Queued()
    {
        _budgets.Add(Budget(minAvailable: "50%"), Budget(minAvailable: "1", name: "fixed"));
        _replicaSets.Add(ReplicaSet("web-rs", "rs-uid", 3));
        await DrainAsync(_controller.Queue.Len);

        _replicaSets.Add(ReplicaSet("web-rs", "rs-uid", 5));

        Assert.Equal(Key, await _controller.TakeAsync());
        Assert.Equal(0, _controller.Queue.Len);
    }

    private static V1ObjectMeta Meta(string name, string uid) => new() { Name = name, NamespaceProperty = "ns-1", Uid = uid };

    private static V1OwnerReference Owner(string apiVersion, string kind, string name, string uid) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = uid, Controller = true };

    // As the client reads one from JSON: 2 and "50%" alike.
    private static IntOrString IntOrStr(string value) => int.TryParse(value, out var number) ? number : value;

    private static V1ReplicaSet ReplicaSet(string name, string uid, int replicas) =>
        new() { Metadata = Meta(name, uid), Spec = new V1ReplicaSetSpec { Replicas = replicas, Selector = new V1LabelSelector() } };

    private static V1PodDisruptionBudget Budget(string? minAvailable = null, string? maxUnavailable = null, string name = "web", string app = "web") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns-1", Uid = $"{name}-pdb-uid", Generation = 1, ResourceVersion = "7" },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable is null ? null : IntOrStr(minAvailable),
            MaxUnavailable = maxUnavailable is null ? null : IntOrStr(maxUnavailable),
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
        },
    };

    private static V1Pod Pod(string name, bool ready = true, string app = "web", V1OwnerReference? owner = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns-1",
            Uid = $"{name}-uid",
            Labels = new Dictionary<string, string> { ["app"] = app },
            OwnerReferences = owner is null ? null : [owner],
        },
        Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    private V1PodDisruptionBudgetStatus WrittenStatus()
    {
        var request = _api.Requests.Last(r => r.ToString() == $"PUT {StatusPath}");
        return request.BodyAs<V1PodDisruptionBudget>().Status;
    }

    private async Task DrainAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _controller.TakeAsync();
        }
    }
}
