using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.NodeName;

public sealed class NodeNameTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("n", true)]
    [InlineData("other", false)]
    public void Filter_RequestedNodeName_MatchesThatNodeOnly(string? nodeName, bool fits)
    {
        var pod = Make.Pod("p", nodeName: nodeName);

        var status = PluginTesting.Filter(new global::Timonel.Scheduler.Plugins.NodeName.NodeName(), pod, Make.Node("n"));

        Assert.Equal(fits, status.IsSuccess);
        if (!fits)
        {
            Assert.Equal(Code.UnschedulableAndUnresolvable, status.Code);
            Assert.Equal("node(s) didn't match the requested node name", status.Message);
        }
    }
}
