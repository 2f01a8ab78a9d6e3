using Timonel.Agent.Kubelet;
using Timonel.Agent.Kubelet.Node;

namespace Timonel.Agent.Tests.Kubelet;

public sealed class KubeletOptionsTests
{
    private static readonly MachineInfo _machine = new(4, 8L << 30, 100L << 30, "0123abcd", "boot-1", "uuid-1", "6.1.0-18-amd64", "Debian GNU/Linux 12 (bookworm)", "amd64", "box", "192.168.1.10");

    [Theory]
    [InlineData("", "/var/lib/timonel", 110, "a node name is required")]
    [InlineData("node-0", " ", 110, "a data directory is required")]
    [InlineData("node-0", "/var/lib/timonel", 0, "maxPods must be positive, not 0")]
    public void Problem_BadOptions_SaysWhat(string node, string dataDirectory, int maxPods, string expected) =>
        Assert.Equal(expected, new KubeletOptions { NodeName = node, Machine = _machine, DataDirectory = dataDirectory, MaxPods = maxPods }.Problem());

    [Fact]
    public void Problem_Defaults_None()
    {
        var options = new KubeletOptions { NodeName = "node-0", Machine = _machine, DataDirectory = "/var/lib/timonel" };

        Assert.Null(options.Problem());
        Assert.Equal((110, TimeSpan.FromSeconds(1)), (options.MaxPods, options.RelistInterval));
    }
}
