using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;
using Plugin = Timonel.Scheduler.Plugins.InterPodAffinity.InterPodAffinity;

namespace Timonel.Scheduler.Tests.Plugins.InterPodAffinity;

/// <summary>AddPod/RemovePod as preemption's dry run and the nominated pods use them: on a clone of the cycle state.</summary>
public sealed class InterPodAffinityExtensionsTests
{
    // n1 and n2 in zone a, n3 in zone b.
    private static TestCluster Cluster(params V1Pod[] pods) =>
        new TestCluster(TestCluster.Node("n1", "a"), TestCluster.Node("n2", "a"), TestCluster.Node("n3", "b")).With(pods);

    private static V1Pod WithRequired(V1Pod pod, bool anti, string app)
    {
        IList<V1PodAffinityTerm> terms =
        [
            new V1PodAffinityTerm
            {
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
                TopologyKey = "topology.kubernetes.io/zone",
            },
        ];
        pod.Spec.Affinity = anti
            ? new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = terms } }
            : new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = terms } };
        return pod;
    }

    [Fact]
    public void RemovePod_TheOnlyPodTheAntiAffinityMatches_FreesItsZoneOnTheCloneOnly()
    {
        var cluster = Cluster(TestCluster.Pod("db", "n1", labels: "app=db"));
        var plugin = new Plugin(cluster.Handle());
        var state = new CycleState();
        var pod = new PodInfo(WithRequired(TestCluster.Pod("p"), anti: true, "db"));
        plugin.PreFilter(state, pod);
        var clone = state.Clone();

        var status = plugin.RemovePod(clone, pod, cluster.Nodes[0].Pods[0], cluster.Nodes[0]);

        Assert.True(status.IsSuccess, status.ToString());
        Assert.Equal("n1,n2,n3", cluster.Fits(plugin, clone, pod));
        Assert.Equal("n3", cluster.Fits(plugin, state, pod));
    }

    [Fact]
    public void RemovePod_ExistingPodWithAntiAffinityToTheIncomingPod_NoLongerRejectsItsZone()
    {
        var cluster = Cluster(WithRequired(TestCluster.Pod("loner", "n3"), anti: true, "web"));
        var plugin = new Plugin(cluster.Handle());
        var state = new CycleState();
        var pod = new PodInfo(TestCluster.Pod("p", labels: "app=web"));
        plugin.PreFilter(state, pod);
        var before = cluster.Fits(plugin, state, pod);

        plugin.RemovePod(state, pod, cluster.Nodes[2].Pods[0], cluster.Nodes[2]);

        Assert.Equal("n1,n2", before);
        Assert.Equal("n1,n2,n3", cluster.Fits(plugin, state, pod));
    }

    [Fact]
    public void AddPod_NominatedPodTheAffinityNeeds_OpensItsZone()
    {
        // A pod that does not match its own affinity stays off every node until a matching pod is somewhere.
        var cluster = Cluster(TestCluster.Pod("db", "n1", labels: "app=db"));
        var plugin = new Plugin(cluster.Handle());
        var state = new CycleState();
        var pod = new PodInfo(WithRequired(TestCluster.Pod("p"), anti: false, "db"));
        plugin.PreFilter(state, pod);
        var before = cluster.Fits(plugin, state, pod);

        plugin.AddPod(state, pod, new PodInfo(TestCluster.Pod("nominated", labels: "app=db")), cluster.Nodes[2]);

        Assert.Equal("n1,n2", before);
        Assert.Equal("n1,n2,n3", cluster.Fits(plugin, state, pod));
    }
}
