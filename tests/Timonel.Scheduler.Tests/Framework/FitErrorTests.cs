using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Framework;

public sealed class FitErrorTests
{
    [Fact]
    public void Message_ReasonsOfSeveralNodes_CountedAndSortedAsStrings()
    {
        var diagnosis = new Diagnosis();
        diagnosis.NodeToStatus.Set("a", Status.UnschedulableAndUnresolvable("node(s) had untolerated taint {node-role: x}"));
        diagnosis.NodeToStatus.Set("b", Status.Unschedulable("Insufficient cpu", "Insufficient memory"));
        diagnosis.NodeToStatus.Set("c", Status.Unschedulable("Insufficient cpu"));

        var error = new FitError(new PodInfo(Make.Pod("p")), 3, diagnosis);

        Assert.Equal("0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role: x}, 2 Insufficient cpu.", error.Message);
    }

    [Fact]
    public void Message_PreFilterRejection_ShownInsteadOfNodeReasons()
    {
        var diagnosis = new Diagnosis { PreFilterMessage = "pod affinity terms conflict", PostFilterMessage = "preemption: nothing" };
        diagnosis.NodeToStatus.AbsentNodesStatus = Status.UnschedulableAndUnresolvable("pod affinity terms conflict");

        Assert.Equal("0/2 nodes are available: pod affinity terms conflict. preemption: nothing.", FitError.Format(2, diagnosis));
    }

    [Fact]
    public void Message_NodesLeftOutByPreFilter_CountTheAbsentStatus()
    {
        var diagnosis = new Diagnosis();
        diagnosis.NodeToStatus.AbsentNodesStatus = Status.UnschedulableAndUnresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]");
        diagnosis.NodeToStatus.Set("a", Status.Unschedulable("Insufficient cpu"));

        Assert.Equal("0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity].", FitError.Format(5, diagnosis));
    }
}
