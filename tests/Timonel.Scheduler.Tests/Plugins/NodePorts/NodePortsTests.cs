using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.NodePorts;

public sealed class NodePortsTests
{
    [Theory]
    [InlineData(null, "TCP", 8080, null, "TCP", 8080, false)]
    [InlineData(null, "TCP", 8080, null, "UDP", 8080, true)]
    [InlineData(null, "TCP", 8080, null, "TCP", 8081, true)]
    [InlineData("127.0.0.1", "TCP", 8080, "127.0.0.2", "TCP", 8080, true)]
    [InlineData("127.0.0.1", "TCP", 8080, "0.0.0.0", "TCP", 8080, false)] // 0.0.0.0 conflicts with every IP
    [InlineData("0.0.0.0", "TCP", 8080, "10.0.0.1", "TCP", 8080, false)]
    [InlineData("", "", 8080, null, "TCP", 8080, false)] // empty IP and protocol mean 0.0.0.0 and TCP
    public void Filter_HostPorts_ConflictAsUpstream(string? usedIp, string usedProtocol, int usedPort, string? ip, string protocol, int port, bool fits)
    {
        var existing = WithHostPort(Make.Pod("existing", nodeName: "n"), usedIp, usedProtocol, usedPort);
        var pod = WithHostPort(Make.Pod("p"), ip, protocol, port);

        var status = PluginTesting.Filter(new global::Timonel.Scheduler.Plugins.NodePorts.NodePorts(), pod, Make.Node("n"), existing);

        Assert.Equal(fits, status.IsSuccess);
        if (!fits)
        {
            Assert.Equal(Code.Unschedulable, status.Code);
            Assert.Equal("node(s) didn't have free ports for the requested pod ports", status.Message);
        }
    }

    [Fact]
    public void PreFilter_NoHostPorts_Skips()
    {
        var (_, status) = new global::Timonel.Scheduler.Plugins.NodePorts.NodePorts().PreFilter(new CycleState(), new PodInfo(Make.Pod("p")));

        Assert.True(status.IsSkip);
    }

    private static V1Pod WithHostPort(V1Pod pod, string? ip, string protocol, int port)
    {
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = port, HostIP = ip, Protocol = protocol }];
        return pod;
    }
}
