using Microsoft.Extensions.Time.Testing;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Cache;

public sealed class SchedulerCacheTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly SchedulerCache _cache;
    private readonly Snapshot _snapshot = new();

    public SchedulerCacheTests()
    {
        _cache = new SchedulerCache(_time, TimeSpan.FromMinutes(15));
        _cache.AddNode(Make.Node("a"));
        _cache.AddNode(Make.Node("b"));
    }

    [Fact]
    public void AssumePod_ChosenNode_CountsItsRequestsAtOnce()
    {
        _cache.AssumePod(new PodInfo(Make.Pod("p", "1", "1Gi")), "a");

        Assert.Equal(1000, Requested("a"));
        Assert.True(_cache.IsAssumedPod(Make.Pod("p")));
    }

    [Fact]
    public void UpdateSnapshot_PodWithRequiredAntiAffinityComesAndGoes_ListsItsNodeOnlyMeanwhile()
    {
        var pod = Make.Pod("p", nodeName: "b");
        pod.Spec.Affinity = new k8s.Models.V1Affinity
        {
            PodAntiAffinity = new k8s.Models.V1PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = [new k8s.Models.V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname" }],
            },
        };
        _cache.UpdateSnapshot(_snapshot);
        var before = _snapshot.HavePodsWithRequiredAntiAffinityList.Select(n => n.Name).ToList();

        _cache.AddPod(pod);
        _cache.UpdateSnapshot(_snapshot);
        var with = _snapshot.HavePodsWithRequiredAntiAffinityList.Select(n => n.Name).ToList();
        var withAffinity = _snapshot.HavePodsWithAffinityList.Select(n => n.Name).ToList();
        _cache.RemovePod(pod);
        _cache.UpdateSnapshot(_snapshot);

        Assert.Empty(before);
        Assert.Equal(["b"], with);
        Assert.Equal(["b"], withAffinity);
        Assert.Empty(_snapshot.HavePodsWithRequiredAntiAffinityList);
        Assert.Empty(_snapshot.HaveImagesList);
    }

    [Fact]
    public void ForgetPod_BindingFailed_FreesTheNode()
    {
        _cache.AssumePod(new PodInfo(Make.Pod("p", "1")), "a");

        _cache.ForgetPod(Make.Pod("p"));

        Assert.Equal(0, Requested("a"));
        Assert.False(_cache.IsAssumedPod(Make.Pod("p")));
    }

    [Fact]
    public void AddPod_InformerSeesTheBoundPod_ConfirmsItWhereItLanded()
    {
        _cache.AssumePod(new PodInfo(Make.Pod("p", "1")), "a");

        _cache.AddPod(Make.Pod("p", "1", nodeName: "b"));

        Assert.False(_cache.IsAssumedPod(Make.Pod("p")));
        Assert.Equal((0L, 1000L), (Requested("a"), Requested("b")));
    }

    [Fact]
    public void CleanupExpiredAssumedPods_NeverConfirmed_ExpiresAfterTheTtl()
    {
        _cache.AssumePod(new PodInfo(Make.Pod("p", "1")), "a");
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, _cache.CleanupExpiredAssumedPods()); // binding still running: never expires

        _cache.FinishBinding(Make.Pod("p"));
        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(0, _cache.CleanupExpiredAssumedPods());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _cache.CleanupExpiredAssumedPods());
        Assert.Equal(0, Requested("a"));
    }

    [Fact]
    public void CleanupExpiredAssumedPods_Confirmed_KeepsThePod()
    {
        _cache.AssumePod(new PodInfo(Make.Pod("p", "1")), "a");
        _cache.FinishBinding(Make.Pod("p"));
        _cache.AddPod(Make.Pod("p", "1", nodeName: "a"));

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, _cache.CleanupExpiredAssumedPods());
        Assert.Equal(1000, Requested("a"));
    }

    [Fact]
    public void UpdateSnapshot_OneNodeChanged_CopiesOnlyThatNode()
    {
        _cache.UpdateSnapshot(_snapshot);
        var a = _snapshot.Get("a");
        var b = _snapshot.Get("b");

        _cache.AddPod(Make.Pod("p", "1", nodeName: "a"));
        _cache.UpdateSnapshot(_snapshot);

        // The snapshot keeps its NodeInfo objects and refreshes the one changed.
        Assert.Same(a, _snapshot.Get("a"));
        Assert.Same(b, _snapshot.Get("b"));
        Assert.Equal(1000, _snapshot.Get("a")!.Requested.MilliCpu);
        Assert.Equal(2, _snapshot.NodeInfoList.Count);
    }

    [Fact]
    public void UpdateSnapshot_NodesAddedAndRemoved_ListFollows()
    {
        _cache.UpdateSnapshot(_snapshot);

        _cache.RemoveNode(Make.Node("a"));
        _cache.AddNode(Make.Node("c"));
        _cache.UpdateSnapshot(_snapshot);

        Assert.Equal(["b", "c"], _snapshot.NodeInfoList.Select(n => n.Name));
        Assert.Null(_snapshot.Get("a"));
    }

    [Fact]
    public void RemoveNode_WithPodsStillBound_LeavesTheSnapshotButKeepsThePods()
    {
        _cache.AddPod(Make.Pod("p", "1", nodeName: "a"));

        _cache.RemoveNode(Make.Node("a"));
        _cache.UpdateSnapshot(_snapshot);
        Assert.Null(_snapshot.Get("a"));

        _cache.AddNode(Make.Node("a"));
        _cache.UpdateSnapshot(_snapshot);
        Assert.Equal(1000, _snapshot.Get("a")!.Requested.MilliCpu);
    }

    private long Requested(string node)
    {
        _cache.UpdateSnapshot(_snapshot);
        return _snapshot.Get(node)!.Requested.MilliCpu;
    }
}
