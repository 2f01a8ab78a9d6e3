using Timonel.Agent.Simulated;

namespace Timonel.Agent.Tests.Simulated;

public sealed class NodeObjectsTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static SimulatedNode Node(int index) =>
        new(index, "sim-" + index, NodeAddressing.InternalIp(index), NodeAddressing.PodRange("10.42.0.0/16", index), TimeSpan.Zero);

    [Theory]
    [InlineData("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available")]
    [InlineData("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure")]
    [InlineData("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available")]
    [InlineData("Ready", "True", "KubeletReady", "kubelet is posting ready status")]
    public void Node_Conditions_AsAHealthyKubeletReportsThem(string type, string status, string reason, string message)
    {
        var node = NodeObjects.Node(Node(0), new SimulatedNodesOptions { Count = 1 }, "v1.32.0", _now);

        var condition = node.Status.Conditions.Single(c => c.Type == type);
        Assert.Equal((status, reason, message), (condition.Status, condition.Reason, condition.Message));
        Assert.Equal(_now.UtcDateTime, condition.LastHeartbeatTime);
    }

    [Fact]
    public void Node_Index3_LabelsAddressesPodCidrAndCapacity()
    {
        var options = new SimulatedNodesOptions
        {
            Count = 4,
            Capacity = KeyValueList.Merge(SimulatedNodesOptions.DefaultCapacity, KeyValueList.Parse("cpu=8,nvidia.com/gpu=1")),
            Labels = KeyValueList.Parse("zone=a"),
        };

        var node = NodeObjects.Node(Node(3), options, "v1.32.0", _now);

        Assert.Equal("sim-3", node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
        Assert.Equal("amd64", node.Metadata.Labels["kubernetes.io/arch"]);
        Assert.Equal("simulated", node.Metadata.Labels["node.kubernetes.io/instance-type"]);
        Assert.Equal("a", node.Metadata.Labels["zone"]);
        Assert.Equal("10.42.3.0/24", node.Spec.PodCIDR);
        Assert.Equal(["InternalIP:10.200.0.4", "Hostname:sim-3"], node.Status.Addresses.Select(a => $"{a.Type}:{a.Address}"));
        Assert.Equal("8", node.Status.Capacity["cpu"].ToString());
        Assert.Equal("16Gi", node.Status.Allocatable["memory"].ToString());
        Assert.Equal("1", node.Status.Allocatable["nvidia.com/gpu"].ToString());
        Assert.Equal(("v1.32.0", "v1.32.0", "linux", "amd64"), (node.Status.NodeInfo.KubeletVersion, node.Status.NodeInfo.KubeProxyVersion, node.Status.NodeInfo.OperatingSystem, node.Status.NodeInfo.Architecture));
    }

    [Fact]
    public void Node_SameName_SameMachineIds()
    {
        var first = NodeObjects.Node(Node(1), new SimulatedNodesOptions { Count = 2 }, "v", _now).Status.NodeInfo;
        var again = NodeObjects.Node(Node(1), new SimulatedNodesOptions { Count = 2 }, "v", _now.AddHours(1)).Status.NodeInfo;
        var other = NodeObjects.Node(Node(0), new SimulatedNodesOptions { Count = 2 }, "v", _now).Status.NodeInfo;

        Assert.Equal(first.SystemUUID, again.SystemUUID);
        Assert.NotEqual(first.SystemUUID, other.SystemUUID);
    }
}
