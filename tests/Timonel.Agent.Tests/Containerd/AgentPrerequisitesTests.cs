using Timonel.Agent.Containerd;

namespace Timonel.Agent.Tests.Containerd;

public sealed class AgentPrerequisitesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("timonel-prereq-").FullName;

    private string Bin => Path.Combine(_root, "bin");

    private string Cni => Path.Combine(_root, "cni");

    public AgentPrerequisitesTests()
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Cni);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Install(string dir, params string[] programs)
    {
        foreach (var program in programs)
        {
            File.WriteAllText(Path.Combine(dir, program), "");
        }
    }

    [Fact]
    public void Check_EverythingPresent_IsSatisfied()
    {
        Install(Bin, "containerd", "ctr", "runc", "iptables");
        Install(Cni, "bridge", "host-local", "portmap", "loopback");

        var check = AgentPrerequisites.Check(isRoot: true, Bin, [Cni]);

        Assert.True(check.Satisfied, check.Message);
        Assert.Null(check.Message);
    }

    [Fact]
    public void Check_MissingRuntimeAndPlugins_NamesThemAndTheDebianPackages()
    {
        Install(Bin, "ctr", "iptables");

        var check = AgentPrerequisites.Check(isRoot: true, Bin, [Cni, Path.Combine(_root, "other")]);

        Assert.False(check.Satisfied);
        Assert.Contains("containerd is not installed", check.Message);
        Assert.Contains("runc is not installed", check.Message);
        Assert.Contains("the CNI plugins bridge, host-local, portmap, loopback are not in", check.Message);
        Assert.EndsWith("Install them with: apt-get install containerd runc containernetworking-plugins", check.Message);
    }

    [Fact]
    public void Check_NotRoot_SaysSo()
    {
        Install(Bin, "containerd", "ctr", "runc", "iptables");
        Install(Cni, "bridge", "host-local", "portmap", "loopback");

        var check = AgentPrerequisites.Check(isRoot: false, Bin, [Cni]);

        Assert.Equal(["it must run as root"], check.Problems);
        Assert.Empty(check.Packages);
    }

    [Fact]
    public void Check_SomePluginsMissing_NamesOnlyThose()
    {
        Install(Bin, "containerd", "ctr", "runc", "iptables");
        Install(Cni, "bridge", "loopback");

        var check = AgentPrerequisites.Check(isRoot: true, Bin, [Cni]);

        Assert.Contains("the CNI plugins host-local, portmap are not in", Assert.Single(check.Problems));
    }
}
