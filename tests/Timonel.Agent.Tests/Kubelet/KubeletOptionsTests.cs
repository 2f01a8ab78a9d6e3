using Timonel.Agent.Kubelet;

namespace Timonel.Agent.Tests.Kubelet;

public sealed class KubeletOptionsTests
{
    [Theory]
    [InlineData("", "/var/lib/timonel", 110, "a node name is required")]
    [InlineData("node-0", " ", 110, "a data directory is required")]
    [InlineData("node-0", "/var/lib/timonel", 0, "maxPods must be positive, not 0")]
    public void Problem_BadOptions_SaysWhat(string node, string dataDirectory, int maxPods, string expected) =>
        Assert.Equal(expected, new KubeletOptions { NodeName = node, DataDirectory = dataDirectory, MaxPods = maxPods }.Problem());

    [Fact]
    public void Problem_Defaults_None()
    {
        var options = new KubeletOptions { NodeName = "node-0", DataDirectory = "/var/lib/timonel" };

        Assert.Null(options.Problem());
        Assert.Equal((110, TimeSpan.FromSeconds(1)), (options.MaxPods, options.RelistInterval));
    }
}
