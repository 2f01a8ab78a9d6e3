using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.NodeAffinity;

public sealed class NodeAffinityTests
{
    private static readonly Dictionary<string, string> _labels = new() { ["zone"] = "a", ["size"] = "8" };

    public static TheoryData<string, Dictionary<string, string>?, V1NodeSelectorTerm[]?, bool> FilterCases => new()
    {
        { "nothing asked", null, null, true },
        { "nodeSelector matches", new() { ["zone"] = "a" }, null, true },
        { "nodeSelector differs", new() { ["zone"] = "b" }, null, false },
        { "nodeSelector label missing", new() { ["disk"] = "ssd" }, null, false },
        { "In", null, [Term(Req("zone", "In", "a", "b"))], true },
        { "NotIn", null, [Term(Req("zone", "NotIn", "a"))], false },
        { "NotIn of a missing label", null, [Term(Req("disk", "NotIn", "ssd"))], true },
        { "Exists", null, [Term(Req("zone", "Exists"))], true },
        { "DoesNotExist", null, [Term(Req("zone", "DoesNotExist"))], false },
        { "Gt", null, [Term(Req("size", "Gt", "4"))], true },
        { "Lt", null, [Term(Req("size", "Lt", "4"))], false },
        { "Gt of a non-integer", null, [Term(Req("zone", "Gt", "4"))], false },
        { "terms are ORed", null, [Term(Req("zone", "In", "b")), Term(Req("size", "In", "8"))], true },
        { "requirements are ANDed", null, [Term(Req("zone", "In", "a"), Req("size", "In", "4"))], false },
        { "an empty term matches nothing", null, [new V1NodeSelectorTerm()], false },
        { "metadata.name field", null, [new V1NodeSelectorTerm { MatchFields = [Req("metadata.name", "In", "n")] }], true },
        { "selector and affinity both apply", new() { ["zone"] = "b" }, [Term(Req("size", "In", "8"))], false },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_SelectorAndRequiredAffinity_MatchNodeLabels(string name, Dictionary<string, string>? nodeSelector, V1NodeSelectorTerm[]? terms, bool fits)
    {
        var pod = Make.Pod(name.Replace(' ', '-'));
        pod.Spec.NodeSelector = nodeSelector;
        if (terms is not null)
        {
            pod.Spec.Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = terms } } };
        }

        var status = PluginTesting.Filter(new global::Timonel.Scheduler.Plugins.NodeAffinity.NodeAffinity(), pod, Make.Node("n", labels: _labels));

        Assert.Equal(fits, status.IsSuccess);
        if (!fits)
        {
            Assert.Equal(Code.UnschedulableAndUnresolvable, status.Code);
            Assert.Equal("node(s) didn't match Pod's node affinity/selector", status.Message);
        }
    }

    [Theory]
    [InlineData(new[] { "a,b" }, "a,b")]
    [InlineData(new[] { "a,b", "b,c" }, "a,b,c")] // terms are ORed: the union
    [InlineData(new[] { "a" }, "a")]
    public void PreFilter_MetadataNameFields_NarrowTheNodes(string[] termNodeNames, string expected)
    {
        var pod = Make.Pod("p");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [.. termNodeNames.Select(names => new V1NodeSelectorTerm { MatchFields = [Req("metadata.name", "In", names.Split(','))] })],
                },
            },
        };

        var (result, status) = new global::Timonel.Scheduler.Plugins.NodeAffinity.NodeAffinity().PreFilter(new CycleState(), new PodInfo(pod));

        Assert.True(status.IsSuccess);
        Assert.Equal(expected, string.Join(",", result!.NodeNames!.Order()));
    }

    [Fact]
    public void PreFilter_NoAffinityNorSelector_Skips()
    {
        var (_, status) = new global::Timonel.Scheduler.Plugins.NodeAffinity.NodeAffinity().PreFilter(new CycleState(), new PodInfo(Make.Pod("p")));

        Assert.True(status.IsSkip);
    }

    [Fact]
    public void Score_PreferredTerms_WeightsOfMatchingTermsNormalized()
    {
        var pod = Make.Pod("p");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PreferredSchedulingTerm { Weight = 10, Preference = Term(Req("zone", "In", "a")) },
                    new V1PreferredSchedulingTerm { Weight = 30, Preference = Term(Req("size", "In", "8")) },
                ],
            },
        };
        var both = new NodeInfo(Make.Node("both", labels: _labels));
        var zoneOnly = new NodeInfo(Make.Node("zone", labels: new Dictionary<string, string> { ["zone"] = "a" }));
        var none = new NodeInfo(Make.Node("none", labels: new Dictionary<string, string>()));

        var scores = PluginTesting.Score(new global::Timonel.Scheduler.Plugins.NodeAffinity.NodeAffinity(), pod, both, zoneOnly, none);

        Assert.Equal([100L, 25L, 0L], scores);
    }

    private static V1NodeSelectorTerm Term(params V1NodeSelectorRequirement[] requirements) => new() { MatchExpressions = requirements };

    private static V1NodeSelectorRequirement Req(string key, string op, params string[] values) => new() { Key = key, OperatorProperty = op, Values = values };
}
