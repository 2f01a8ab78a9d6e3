using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.TaintToleration;

public sealed class TaintTolerationTests
{
    public static TheoryData<V1Taint[], V1Toleration[], string?> FilterCases => new()
    {
        { [], [], null },
        { [Make.Taint("dedicated", "gpu")], [], "node(s) had untolerated taint {dedicated: gpu}" },
        { [Make.Taint("dedicated", "gpu", "NoExecute")], [], "node(s) had untolerated taint {dedicated: gpu}" },
        { [Make.Taint("dedicated", "gpu", "PreferNoSchedule")], [], null },
        { [Make.Taint("node-role", "")], [], "node(s) had untolerated taint {node-role: }" },
        { [Make.Taint("dedicated", "gpu")], [new() { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }], null },
        { [Make.Taint("dedicated", "gpu")], [new() { Key = "dedicated", Value = "cpu" }], "node(s) had untolerated taint {dedicated: gpu}" },
        { [Make.Taint("dedicated", "gpu")], [new() { Key = "dedicated", OperatorProperty = "Exists" }], null },
        { [Make.Taint("dedicated", "gpu")], [new() { OperatorProperty = "Exists" }], null },
        { [Make.Taint("a", "1"), Make.Taint("b", "2")], [new() { Key = "a", OperatorProperty = "Exists" }], "node(s) had untolerated taint {b: 2}" },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_Taints_RejectsTheFirstUntoleratedOne(V1Taint[] taints, V1Toleration[] tolerations, string? reason)
    {
        var pod = Make.Pod("p");
        pod.Spec.Tolerations = tolerations;

        var status = PluginTesting.Filter(new global::Timonel.Scheduler.Plugins.TaintToleration.TaintToleration(), pod, Make.Node("n", taints: taints));

        if (reason is null)
        {
            Assert.True(status.IsSuccess, status.ToString());
        }
        else
        {
            Assert.Equal(Code.UnschedulableAndUnresolvable, status.Code);
            Assert.Equal(reason, status.Message);
        }
    }

    [Fact]
    public void Score_PreferNoScheduleTaints_FewerUntoleratedScoreHigher()
    {
        var pod = Make.Pod("p");
        pod.Spec.Tolerations = [new() { Key = "tolerated", OperatorProperty = "Exists", Effect = "PreferNoSchedule" }];
        var clean = new NodeInfo(Make.Node("clean"));
        var one = new NodeInfo(Make.Node("one", taints: [Make.Taint("a", "1", "PreferNoSchedule"), Make.Taint("tolerated", "", "PreferNoSchedule")]));
        var two = new NodeInfo(Make.Node("two", taints: [Make.Taint("a", "1", "PreferNoSchedule"), Make.Taint("b", "2", "PreferNoSchedule")]));

        var scores = PluginTesting.Score(new global::Timonel.Scheduler.Plugins.TaintToleration.TaintToleration(), pod, clean, one, two);

        Assert.Equal([100L, 50L, 0L], scores);
    }
}
