using Timonel.Agent.Simulated;
using Timonel.Agent.Tests.NodeAgent;

namespace Timonel.Agent.Tests.Simulated;

public sealed class NodeAddressingTests
{
    [Theory]
    [InlineData(0, "10.200.0.1")]
    [InlineData(253, "10.200.0.254")]
    [InlineData(254, "10.200.1.1")]
    [InlineData(4999, "10.200.19.174")]
    public void InternalIp_Index_OneAddressPerNode(int index, string expected) => Assert.Equal(expected, NodeAddressing.InternalIp(index));

    [Theory]
    [InlineData("10.42.0.0/16", 0, "10.42.0.0")]
    [InlineData("10.42.0.0/16", 255, "10.42.255.0")]
    [InlineData("10.64.0.0/11", 4999, "10.83.135.0")]
    public void PodRange_Index_TheIthSlash24(string cidr, int index, string expected) =>
        Assert.Equal(expected, NodeAddressing.Format(NodeAddressing.PodRange(cidr, index)));

    [Fact]
    public void PodRange_BeyondTheClusterCidr_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeAddressing.PodRange("10.42.0.0/16", 256));

    [Theory]
    [InlineData("10.42.0.0")]
    [InlineData("10.42.0.0/25")]
    [InlineData("fd00::/64")]
    public void PodRangeCount_NotAnIpv4RangeOfSlash24s_Throws(string cidr) =>
        Assert.Throws<FormatException>(() => NodeAddressing.PodRangeCount(cidr));

    [Fact]
    public void Agent_MoreNodesThanPodRanges_RefusedWithTheReason()
    {
        var error = Assert.Throws<ArgumentException>(() => new SimulatedNodeAgent(
            new FakeNodeAgentApi(TimeProvider.System), new SimulatedNodesOptions { Count = 300 }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Contains("holds 256", error.Message, StringComparison.Ordinal);
    }
}
