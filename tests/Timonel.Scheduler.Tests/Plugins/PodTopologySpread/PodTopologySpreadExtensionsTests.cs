using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;
using Plugin = Timonel.Scheduler.Plugins.PodTopologySpread.PodTopologySpread;

namespace Timonel.Scheduler.Tests.Plugins.PodTopologySpread;

/// <summary>AddPod/RemovePod as preemption's dry run and the nominated pods use them: on a clone of the cycle state.</summary>
public sealed class PodTopologySpreadExtensionsTests
{
    // Zone a: n1, n2; zone b: n3; zone c: n4.
    private static TestCluster Cluster(params string[] webNodes) =>
        new TestCluster(TestCluster.Node("n1", "a"), TestCluster.Node("n2", "a"), TestCluster.Node("n3", "b"), TestCluster.Node("n4", "c"))
            .With([.. webNodes.Select((n, i) => TestCluster.Pod($"web-{i}", n, labels: "app=web"))]);

    private static V1Pod Incoming(string ns = "default")
    {
        var pod = TestCluster.Pod("p", ns: ns, labels: "app=web");
        pod.Spec.TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint
            {
                TopologyKey = "topology.kubernetes.io/zone",
                MaxSkew = 1,
                WhenUnsatisfiable = "DoNotSchedule",
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        ];
        return pod;
    }

    [Fact]
    public void RemovePod_VictimInTheFullestZone_LowersItsCountOnTheCloneOnly()
    {
        // a 2, b 1, c 1: the pod fits b and c only.
        var cluster = Cluster("n1", "n1", "n3", "n4");
        var plugin = new Plugin(cluster.Handle());
        var state = new CycleState();
        var pod = new PodInfo(Incoming());
        Assert.True(plugin.PreFilter(state, pod).Status.IsSuccess);
        var clone = state.Clone();
        var victim = cluster.Nodes[0].Pods[0];

        var status = plugin.RemovePod(clone, pod, victim, cluster.Nodes[0]);

        Assert.True(status.IsSuccess, status.ToString());
        Assert.Equal("n1,n2,n3,n4", cluster.Fits(plugin, clone, pod));
        Assert.Equal("n3,n4", cluster.Fits(plugin, state, pod));
    }

    [Fact]
    public void AddPod_NominatedPodInTheEmptyZone_RaisesTheGlobalMinimum()
    {
        // a 1, b 1, c 0: only c; with a pod added to c every zone has one.
        var cluster = Cluster("n1", "n3");
        var plugin = new Plugin(cluster.Handle());
        var state = new CycleState();
        var pod = new PodInfo(Incoming());
        plugin.PreFilter(state, pod);
        var before = cluster.Fits(plugin, state, pod);

        plugin.AddPod(state, pod, new PodInfo(TestCluster.Pod("nominated", labels: "app=web")), cluster.Nodes[3]);

        Assert.Equal("n4", before);
        Assert.Equal("n1,n2,n3,n4", cluster.Fits(plugin, state, pod));
    }

    [Fact]
    public void RemovePod_PodOfAnotherNamespace_ChangesNothing()
    {
        var cluster = Cluster("n1", "n1", "n3", "n4");
        var plugin = new Plugin(cluster.Handle());
        var state = new CycleState();
        var pod = new PodInfo(Incoming(ns: "other"));
        plugin.PreFilter(state, pod);

        // The web pods are in "default": they never counted for a pod of "other", so removing one must not count.
        plugin.RemovePod(state, pod, cluster.Nodes[2].Pods[0], cluster.Nodes[2]);

        Assert.Equal("n1,n2,n3,n4", cluster.Fits(plugin, state, pod));
    }
}
