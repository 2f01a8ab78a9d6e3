using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.NodeUnschedulable;

public sealed class NodeUnschedulableTests
{
    [Theory]
    [InlineData(false, null, null, true)]
    [InlineData(true, null, null, false)]
    [InlineData(true, "node.kubernetes.io/unschedulable", "NoSchedule", true)]
    [InlineData(true, "node.kubernetes.io/unschedulable", "", true)] // an empty effect tolerates every effect
    [InlineData(true, "node.kubernetes.io/unschedulable", "NoExecute", false)]
    [InlineData(true, "other", "NoSchedule", false)]
    public void Filter_CordonedNode_RejectsPodsNotToleratingIt(bool unschedulable, string? tolerationKey, string? effect, bool fits)
    {
        var pod = Make.Pod("p");
        if (tolerationKey is not null)
        {
            pod.Spec.Tolerations = [new V1Toleration { Key = tolerationKey, OperatorProperty = "Exists", Effect = effect }];
        }

        var status = PluginTesting.Filter(new global::Timonel.Scheduler.Plugins.NodeUnschedulable.NodeUnschedulable(), pod, Make.Node("n", unschedulable: unschedulable));

        Assert.Equal(fits, status.IsSuccess);
        if (!fits)
        {
            Assert.Equal(Code.UnschedulableAndUnresolvable, status.Code);
            Assert.Equal("node(s) were unschedulable", status.Message);
        }
    }
}
