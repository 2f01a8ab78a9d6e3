using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;
using Timonel.Testing.Informers;
using Plugin = Timonel.Scheduler.Plugins.PodTopologySpread.PodTopologySpread;

namespace Timonel.Scheduler.Tests.Plugins.PodTopologySpread;

public sealed class PodTopologySpreadTests
{
    private const string Zone = "topology.kubernetes.io/zone";
    private const string Hostname = "kubernetes.io/hostname";

    // Zone a: n1, n2; zone b: n3; zone c: n4; n5 has no zone.
    private static TestCluster Cluster(params V1Pod[] pods) =>
        new TestCluster(TestCluster.Node("n1", "a"), TestCluster.Node("n2", "a"), TestCluster.Node("n3", "b"), TestCluster.Node("n4", "c"), TestCluster.Node("n5")).With(pods);

    private static V1Pod[] Web(params string[] nodes) =>
        [.. nodes.Select((n, i) => TestCluster.Pod($"web-{i}", n, labels: "app=web"))];

    [Fact]
    public void PreFilter_NoConstraintsAndNoOwner_Skips()
    {
        var cluster = Cluster(Web("n1"));

        var (_, status) = new Plugin(cluster.Handle()).PreFilter(new CycleState(), new PodInfo(TestCluster.Pod("p", labels: "app=web")));

        Assert.True(status.IsSkip);
    }

    public static TheoryData<string, string[], string> MaxSkewCases => new()
    {
        { "empty cluster: every zone", [], "n1,n2,n3,n4" },
        { "a has 1: b and c", ["n1"], "n3,n4" },
        { "a 2, b 1, c 0: only c", ["n1", "n2", "n3"], "n4" },
        { "one each: everywhere", ["n1", "n3", "n4"], "n1,n2,n3,n4" },
        { "pods on a node without a zone do not count", ["n5", "n5"], "n1,n2,n3,n4" },
    };

    [Theory]
    [MemberData(nameof(MaxSkewCases))]
    public void Filter_MaxSkewOneByZone_OnlyTheLeastLoadedZones(string name, string[] existing, string fits)
    {
        var cluster = Cluster(Web(existing));
        var pod = Spread(TestCluster.Pod(name.Replace(' ', '-'), labels: "app=web"), Constraint(Zone, 1));

        Assert.Equal(fits, cluster.Fits(new Plugin(cluster.Handle()), pod));
    }

    [Fact]
    public void Filter_NodeWithoutTheTopologyKey_IsUnresolvable()
    {
        var cluster = Cluster();
        var pod = Spread(TestCluster.Pod("p", labels: "app=web"), Constraint(Zone, 1));

        var statuses = cluster.Filter(new Plugin(cluster.Handle()), pod);

        Assert.Equal(Code.UnschedulableAndUnresolvable, statuses["n5"].Code);
        Assert.Equal("node(s) didn't match pod topology spread constraints (missing required label)", statuses["n5"].Message);
    }

    [Fact]
    public void Filter_SkewTooLarge_IsUnschedulableWithUpstreamsMessage()
    {
        var cluster = Cluster(Web("n1"));
        var pod = Spread(TestCluster.Pod("p", labels: "app=web"), Constraint(Zone, 1));

        var status = cluster.Filter(new Plugin(cluster.Handle()), pod)["n2"];

        Assert.Equal(Code.Unschedulable, status.Code);
        Assert.Equal("node(s) didn't match pod topology spread constraints", status.Message);
    }

    [Fact]
    public void Filter_FewerDomainsThanMinDomains_TakesTheGlobalMinimumAsZero()
    {
        var cluster = Cluster(Web("n1", "n3", "n4"));
        var constraint = Constraint(Zone, 1);
        constraint.MinDomains = 4;
        var pod = Spread(TestCluster.Pod("p", labels: "app=web"), constraint);

        // One pod in each of the 3 zones: 1 + 1 - 0 > 1 everywhere.
        Assert.Equal("", cluster.Fits(new Plugin(cluster.Handle()), pod));
    }

    [Fact]
    public void Filter_NodeAffinityPolicyHonor_CountsOnlyDomainsTheNodeSelectorAdmits()
    {
        var cluster = Cluster(Web("n1", "n3"));
        var pod = Spread(TestCluster.Pod("p", labels: "app=web"), Constraint(Zone, 1));
        pod.Spec.NodeSelector = new Dictionary<string, string> { [Zone] = "a" };
        var ignore = Spread(TestCluster.Pod("q", labels: "app=web"), Constraint(Zone, 1));
        ignore.Spec.NodeSelector = new Dictionary<string, string> { [Zone] = "a" };
        ignore.Spec.TopologySpreadConstraints[0].NodeAffinityPolicy = "Ignore";

        // Honor: zone a is the only domain, its minimum is its own count: a fits. Ignore: c (0) is the minimum.
        Assert.Contains("n1", cluster.Fits(new Plugin(cluster.Handle()), pod), StringComparison.Ordinal);
        Assert.DoesNotContain("n1", cluster.Fits(new Plugin(cluster.Handle()), ignore), StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_MatchLabelKeys_CountOnlyPodsWithTheSameValues()
    {
        var old = TestCluster.Pod("old", "n1", labels: ["app=web", "pod-template-hash=v1"]);
        var cluster = Cluster(old);
        var constraint = Constraint(Zone, 1);
        constraint.MatchLabelKeys = ["pod-template-hash"];
        var pod = Spread(TestCluster.Pod("p", labels: ["app=web", "pod-template-hash=v2"]), constraint);

        Assert.Equal("n1,n2,n3,n4", cluster.Fits(new Plugin(cluster.Handle()), pod));
    }

    [Fact]
    public void Score_ScheduleAnyway_PrefersTheLessLoadedZone()
    {
        var cluster = Cluster(Web("n1", "n2", "n3"));
        var constraint = Constraint(Zone, 1);
        constraint.WhenUnsatisfiable = "ScheduleAnyway";
        var pod = Spread(TestCluster.Pod("p", labels: "app=web"), constraint);

        var scores = cluster.Score(new Plugin(cluster.Handle()), pod)!;

        Assert.True(scores["n4"] > scores["n3"] && scores["n3"] > scores["n1"], string.Join(" ", scores));
        Assert.Equal(100, scores["n4"]);
        Assert.Equal(0, scores["n5"]); // no zone label: ignored
    }

    [Fact]
    public void Score_SystemDefaults_SpreadAReplicaSetsPodsByHostname()
    {
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "rs-uid" },
            Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
        };
        var replicaSets = new TestInformer<V1ReplicaSet>();
        replicaSets.Add(rs);
        var cluster = Cluster(Web("n1", "n1", "n2"));
        var handle = new FrameworkHandle(new FakeSchedulerApi(), cluster.Snapshot, TimeProvider.System) { ReplicaSets = replicaSets.Informer.Cache };
        var pod = TestCluster.Pod("p", labels: "app=web");
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = "rs-uid", Controller = true }];

        var (_, preFilter) = new Plugin(handle).PreFilter(new CycleState(), new PodInfo(pod));
        var scores = cluster.Score(new Plugin(handle), pod)!;

        // The defaults are ScheduleAnyway: nothing is filtered, nodes with fewer of the set's pods score higher, and
        // n5, without a zone, is still spread by hostname.
        Assert.True(preFilter.IsSkip);
        Assert.True(scores["n3"] > scores["n2"] && scores["n2"] > scores["n1"], string.Join(" ", scores));
        Assert.True(scores["n5"] > scores["n1"], string.Join(" ", scores));
    }

    [Fact]
    public void Score_NoOwnerAndNoConstraints_Skips()
    {
        var cluster = Cluster(Web("n1"));

        Assert.Null(cluster.Score(new Plugin(cluster.Handle()), TestCluster.Pod("p", labels: "app=web")));
    }

    private static V1TopologySpreadConstraint Constraint(string key, int maxSkew) => new()
    {
        TopologyKey = key,
        MaxSkew = maxSkew,
        WhenUnsatisfiable = "DoNotSchedule",
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
    };

    private static V1Pod Spread(V1Pod pod, params V1TopologySpreadConstraint[] constraints)
    {
        pod.Spec.TopologySpreadConstraints = constraints;
        return pod;
    }
}
