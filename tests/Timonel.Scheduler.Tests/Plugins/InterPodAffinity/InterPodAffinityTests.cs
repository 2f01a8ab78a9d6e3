using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;
using Timonel.Testing.Informers;
using Plugin = Timonel.Scheduler.Plugins.InterPodAffinity.InterPodAffinity;

namespace Timonel.Scheduler.Tests.Plugins.InterPodAffinity;

public sealed class InterPodAffinityTests
{
    private const string Zone = "topology.kubernetes.io/zone";
    private const string Hostname = "kubernetes.io/hostname";

    // n1 and n2 in zone a, n3 in zone b, n4 without a zone.
    private static TestCluster Cluster(params V1Pod[] pods) =>
        new TestCluster(TestCluster.Node("n1", "a"), TestCluster.Node("n2", "a"), TestCluster.Node("n3", "b"), TestCluster.Node("n4")).With(pods);

    [Fact]
    public void PreFilter_NoAffinityAndNoExistingAntiAffinity_Skips()
    {
        var cluster = Cluster(TestCluster.Pod("web-1", "n1", labels: "app=web"));

        var (_, status) = new Plugin(cluster.Handle()).PreFilter(new CycleState(), new PodInfo(TestCluster.Pod("p")));

        Assert.True(status.IsSkip);
    }

    [Fact]
    public void Filter_RequiredAffinity_OnlyTheMatchingPodsZone()
    {
        var cluster = Cluster(TestCluster.Pod("db", "n1", labels: "app=db"));
        var pod = WithAffinity(TestCluster.Pod("p"), required: [Term("app=db", Zone)]);

        var statuses = cluster.Filter(new Plugin(cluster.Handle()), pod);

        Assert.Equal("n1,n2", cluster.Fits(new Plugin(cluster.Handle()), pod));
        Assert.Equal(Code.UnschedulableAndUnresolvable, statuses["n3"].Code);
        Assert.Equal("node(s) didn't match pod affinity rules", statuses["n3"].Message);
    }

    [Fact]
    public void Filter_FirstPodOfAGroupWithAffinityToItself_FitsEveryNodeWithTheTopologyKey()
    {
        var cluster = Cluster(TestCluster.Pod("other", "n1", labels: "app=other"));
        var pod = WithAffinity(TestCluster.Pod("p", labels: "app=db"), required: [Term("app=db", Zone)]);

        Assert.Equal("n1,n2,n3", cluster.Fits(new Plugin(cluster.Handle()), pod));
    }

    [Fact]
    public void Filter_AffinityToPodsThatDoNotExist_FitsNowhere()
    {
        var cluster = Cluster();
        var pod = WithAffinity(TestCluster.Pod("p", labels: "app=web"), required: [Term("app=db", Zone)]);

        Assert.Equal("", cluster.Fits(new Plugin(cluster.Handle()), pod));
    }

    [Fact]
    public void Filter_RequiredAntiAffinityByHostname_AvoidsTheMatchingPodsNode()
    {
        var cluster = Cluster(TestCluster.Pod("web-1", "n1", labels: "app=web"));
        var pod = WithAntiAffinity(TestCluster.Pod("web-2", labels: "app=web"), required: [Term("app=web", Hostname)]);

        var statuses = cluster.Filter(new Plugin(cluster.Handle()), pod);

        Assert.Equal("n2,n3,n4", cluster.Fits(new Plugin(cluster.Handle()), pod));
        Assert.Equal(Code.Unschedulable, statuses["n1"].Code);
        Assert.Equal("node(s) didn't match pod anti-affinity rules", statuses["n1"].Message);
    }

    [Fact]
    public void Filter_ExistingPodsAntiAffinity_IsSymmetric()
    {
        var loner = WithAntiAffinity(TestCluster.Pod("loner", "n1", labels: "app=loner"), required: [Term("app=web", Zone)]);
        var cluster = Cluster(loner);
        var pod = TestCluster.Pod("web", labels: "app=web");

        var statuses = cluster.Filter(new Plugin(cluster.Handle()), pod);

        Assert.Equal("n3,n4", cluster.Fits(new Plugin(cluster.Handle()), pod));
        Assert.Equal(Code.Unschedulable, statuses["n2"].Code);
        Assert.Equal("node(s) didn't satisfy existing pods anti-affinity rules", statuses["n2"].Message);
    }

    [Fact]
    public void Filter_AntiAffinityInAnotherNamespace_DoesNotApplyUnlessNamed()
    {
        var cluster = Cluster(TestCluster.Pod("web-1", "n1", ns: "other", labels: "app=web"));
        var own = WithAntiAffinity(TestCluster.Pod("p"), required: [Term("app=web", Hostname)]);
        var named = WithAntiAffinity(TestCluster.Pod("q"), required: [Term("app=web", Hostname, namespaces: ["other"])]);

        Assert.Equal("n1,n2,n3,n4", cluster.Fits(new Plugin(cluster.Handle()), own));
        Assert.Equal("n2,n3,n4", cluster.Fits(new Plugin(cluster.Handle()), named));
    }

    [Theory]
    [InlineData("team=a", "n2,n3,n4")]
    [InlineData("team=b", "n1,n2,n3,n4")]
    public void Filter_NamespaceSelector_MatchesTheExistingPodsNamespaceLabels(string selected, string fits)
    {
        var cluster = Cluster(TestCluster.Pod("web-1", "n1", ns: "other", labels: "app=web"));
        var namespaces = new TestInformer<V1Namespace>();
        namespaces.Add(new V1Namespace { Metadata = new V1ObjectMeta { Name = "other", Labels = new Dictionary<string, string> { ["team"] = "a" } } });
        var handle = new FrameworkHandle(new FakeSchedulerApi(), cluster.Snapshot, TimeProvider.System) { Namespaces = namespaces.Informer.Cache };
        var term = Term("app=web", Hostname);
        var (key, value) = (selected.Split('=')[0], selected.Split('=')[1]);
        term.NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [key] = value } };
        var pod = WithAntiAffinity(TestCluster.Pod("p"), required: [term]);

        Assert.Equal(fits, cluster.Fits(new Plugin(handle), pod));
    }

    [Fact]
    public void Score_PreferredAffinity_PrefersTheMatchingPodsZone()
    {
        var cluster = Cluster(TestCluster.Pod("db", "n3", labels: "app=db"));
        var pod = WithAffinity(TestCluster.Pod("p"), preferred: [new V1WeightedPodAffinityTerm { PodAffinityTerm = Term("app=db", Zone), Weight = 5 }]);

        var scores = cluster.Score(new Plugin(cluster.Handle()), pod);

        Assert.Equal(new Dictionary<string, long> { ["n1"] = 0, ["n2"] = 0, ["n3"] = 100, ["n4"] = 0 }, scores);
    }

    [Fact]
    public void Score_PreferredAntiAffinity_AvoidsTheMatchingPodsZone()
    {
        var cluster = Cluster(TestCluster.Pod("web-1", "n1", labels: "app=web"));
        var pod = WithAntiAffinity(TestCluster.Pod("web-2", labels: "app=web"), preferred: [new V1WeightedPodAffinityTerm { PodAffinityTerm = Term("app=web", Zone), Weight = 10 }]);

        var scores = cluster.Score(new Plugin(cluster.Handle()), pod);

        Assert.Equal(new Dictionary<string, long> { ["n1"] = 0, ["n2"] = 0, ["n3"] = 100, ["n4"] = 100 }, scores);
    }

    [Fact]
    public void Score_ExistingPodsRequiredAffinity_PullsTheIncomingPodWithHardPodAffinityWeight()
    {
        var client = WithAffinity(TestCluster.Pod("client", "n3", labels: "app=client"), required: [Term("app=db", Zone)]);
        var cluster = Cluster(client);

        var scores = cluster.Score(new Plugin(cluster.Handle()), TestCluster.Pod("db", labels: "app=db"));

        Assert.Equal(100, scores!["n3"]);
        Assert.Equal(0, scores["n1"]);
    }

    [Fact]
    public void PreScore_NoPreferredTermsAnywhere_Skips()
    {
        var cluster = Cluster(TestCluster.Pod("web-1", "n1", labels: "app=web"));

        Assert.Null(cluster.Score(new Plugin(cluster.Handle()), TestCluster.Pod("p", labels: "app=web")));
    }

    private static V1PodAffinityTerm Term(string selector, string topologyKey, IList<string>? namespaces = null)
    {
        var (key, value) = (selector.Split('=')[0], selector.Split('=')[1]);
        return new V1PodAffinityTerm
        {
            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [key] = value } },
            TopologyKey = topologyKey,
            Namespaces = namespaces,
        };
    }

    private static V1Pod WithAffinity(V1Pod pod, IList<V1PodAffinityTerm>? required = null, IList<V1WeightedPodAffinityTerm>? preferred = null)
    {
        pod.Spec.Affinity ??= new V1Affinity();
        pod.Spec.Affinity.PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = required, PreferredDuringSchedulingIgnoredDuringExecution = preferred };
        return pod;
    }

    private static V1Pod WithAntiAffinity(V1Pod pod, IList<V1PodAffinityTerm>? required = null, IList<V1WeightedPodAffinityTerm>? preferred = null)
    {
        pod.Spec.Affinity ??= new V1Affinity();
        pod.Spec.Affinity.PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = required, PreferredDuringSchedulingIgnoredDuringExecution = preferred };
        return pod;
    }
}
