using System.Text.Json.Nodes;
using Timonel.Agent.Containerd;

namespace Timonel.Agent.Tests.Containerd;

public sealed class CniConfigTests
{
    [Fact]
    public void Render_BridgeWithHostLocalOnThePodCidrThenPortmap()
    {
        var conflist = JsonNode.Parse(CniConfig.Render("10.42.3.0/24"))!;

        Assert.Equal("timonel", (string?)conflist["name"]);
        Assert.Equal("1.0.0", (string?)conflist["cniVersion"]);
        var bridge = conflist["plugins"]![0]!;
        Assert.Equal("bridge", (string?)bridge["type"]);
        Assert.Equal("cni0", (string?)bridge["bridge"]);
        Assert.True((bool)bridge["isGateway"]!);
        Assert.True((bool)bridge["ipMasq"]!);
        Assert.True((bool)bridge["hairpinMode"]!);
        Assert.Equal("host-local", (string?)bridge["ipam"]!["type"]);
        Assert.Equal("10.42.3.0/24", (string?)bridge["ipam"]!["ranges"]![0]![0]!["subnet"]);
        Assert.Equal("0.0.0.0/0", (string?)bridge["ipam"]!["routes"]![0]!["dst"]);
        var portmap = conflist["plugins"]![1]!;
        Assert.Equal("portmap", (string?)portmap["type"]);
        Assert.True((bool)portmap["capabilities"]!["portMappings"]!);
    }

    [Fact]
    public void Render_Ipv6PodCidr_RoutesTheIpv6Default()
    {
        var conflist = JsonNode.Parse(CniConfig.Render("fd00:42::/64"))!;

        Assert.Equal("::/0", (string?)conflist["plugins"]![0]!["ipam"]!["routes"]![0]!["dst"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.42.0.0")]
    [InlineData("10.42.0.0/33")]
    [InlineData("not-a-cidr")]
    public void Render_BadPodCidr_IsAClearError(string podCidr)
    {
        var error = Assert.Throws<ArgumentException>(() => CniConfig.Render(podCidr));

        Assert.Contains("CIDR", error.Message);
    }

    [Fact]
    public void Write_PutsTheConflistInTheConfDir()
    {
        var dir = Directory.CreateTempSubdirectory("timonel-cni-").FullName;
        try
        {
            var path = CniConfig.Write(dir, "10.42.0.0/24", bridge: "tmn-test0", ipamDataDir: "/tmp/ipam");

            Assert.Equal(Path.Combine(dir, "10-timonel.conflist"), path);
            var bridge = JsonNode.Parse(File.ReadAllText(path))!["plugins"]![0]!;
            Assert.Equal("tmn-test0", (string?)bridge["bridge"]);
            Assert.Equal("/tmp/ipam", (string?)bridge["ipam"]!["dataDir"]);
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
