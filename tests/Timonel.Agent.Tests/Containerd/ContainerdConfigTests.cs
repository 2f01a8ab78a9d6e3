using Timonel.Agent.Containerd;

namespace Timonel.Agent.Tests.Containerd;

public sealed class ContainerdConfigTests
{
    private static readonly ContainerdPaths _paths = new("/var/lib/timonel/agent", "/run/timonel/containerd");

    [Fact]
    public void Render_OwnRootStateAndSocket_NeverTheSystemContainerdsOnes()
    {
        var toml = ContainerdConfig.Render(_paths, new ContainerdSettings());

        Assert.Contains("version = 2\n", toml);
        Assert.Contains("root = \"/var/lib/timonel/agent/containerd\"\n", toml);
        Assert.Contains("state = \"/run/timonel/containerd/state\"\n", toml);
        Assert.Contains("[grpc]\n  address = \"/run/timonel/containerd/containerd.sock\"\n", toml);
    }

    [Fact]
    public void Render_CriPlugin_HasSandboxImageCniDirsRegistryHostsAndCgroupfs()
    {
        var settings = new ContainerdSettings { SandboxImage = "example.com/pause:9", CniBinDir = "/opt/cni/bin" };

        var toml = ContainerdConfig.Render(_paths, settings);

        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\"]\n  sandbox_image = \"example.com/pause:9\"\n", toml);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".cni]\n  bin_dir = \"/opt/cni/bin\"\n  conf_dir = \"/var/lib/timonel/agent/etc/cni/net.d\"\n", toml);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"/var/lib/timonel/agent/etc/containerd/certs.d\"\n", toml);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n  SystemdCgroup = false\n", toml);
        Assert.Contains("  runtime_type = \"io.containerd.runc.v2\"\n", toml);
    }

    [Theory]
    [InlineData(true, "overlayfs")]
    [InlineData(false, "native")]
    public void Render_DetectedSettings_AreWrittenAsGiven(bool restrict, string snapshotter)
    {
        var toml = ContainerdConfig.Render(_paths, new ContainerdSettings { RestrictOomScoreAdj = restrict, Snapshotter = snapshotter });

        Assert.Contains($"  restrict_oom_score_adj = {(restrict ? "true" : "false")}\n", toml);
        Assert.Contains($"[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n  snapshotter = \"{snapshotter}\"\n", toml);
    }

    [Fact]
    public void Render_PathWithQuotesAndBackslashes_IsEscapedTomlString()
    {
        var paths = new ContainerdPaths("/data/we\"ird\\dir/agent", "/run/t");

        var toml = ContainerdConfig.Render(paths, new ContainerdSettings());

        Assert.Contains("root = \"/data/we\\\"ird\\\\dir/agent/containerd\"\n", toml);
    }

    [Fact]
    public void Paths_SocketOverTheUnixLimit_IsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => new ContainerdPaths("/var/lib/timonel/agent", "/run/" + new string('x', 100)));

        Assert.Contains("107-byte limit", error.Message);
    }

    [Fact]
    public void Write_CreatesConfigAndTheDirectoriesItNames()
    {
        var root = Directory.CreateTempSubdirectory("timonel-containerd-config-").FullName;
        try
        {
            var paths = new ContainerdPaths(Path.Combine(root, "agent"), Path.Combine(root, "run"));

            ContainerdConfig.Write(paths, new ContainerdSettings());

            Assert.Equal(ContainerdConfig.Render(paths, new ContainerdSettings()), File.ReadAllText(paths.ConfigFile));
            Assert.True(Directory.Exists(paths.CertsDir));
            Assert.True(Directory.Exists(paths.CniConfDir));
            Assert.True(Directory.Exists(paths.RunDir));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
