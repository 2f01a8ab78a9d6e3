using k8s.Models;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Tests.Kubelet.Containers;

public sealed class ContainerMountsTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();
    private readonly ContainerMounts _mounts = new(new ContainerConfigOptions());

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Build_VolumeMounts_ReadOnlyAndPropagation()
    {
        var container = ConfigTestPods.Container();
        container.VolumeMounts =
        [
            new V1VolumeMount { Name = "data", MountPath = "/data", MountPropagation = "HostToContainer" },
            new V1VolumeMount { Name = "data", MountPath = "/data-ro", ReadOnlyProperty = true },
            new V1VolumeMount { Name = "config", MountPath = "/config" },
        ];

        var mounts = Build(container, Volumes(("data", false), ("config", true)));

        Assert.Equal(new Mount { ContainerPath = "/data", HostPath = VolumePath("data"), Propagation = MountPropagation.PropagationHostToContainer }, mounts[0]);
        Assert.Equal(new Mount { ContainerPath = "/data-ro", HostPath = VolumePath("data"), Readonly = true }, mounts[1]);
        Assert.True(mounts[2].Readonly);
    }

    [Fact]
    public void Build_SubPath_CreatedInsideVolume()
    {
        var container = ConfigTestPods.Container();
        container.VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/var/lib/mysql", SubPath = "mysql" }];

        var mounts = Build(container, Volumes(("data", false)));

        Assert.Equal(Path.Combine(VolumePath("data"), "mysql"), mounts[0].HostPath);
        Assert.True(Directory.Exists(mounts[0].HostPath));
    }

    [Fact]
    public void Build_SubPathExpr_ExpandsEnvironment()
    {
        var container = ConfigTestPods.Container();
        container.VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/logs", SubPathExpr = "$(POD_NAME)" }];

        var mounts = Build(container, Volumes(("data", false)), [new("POD_NAME", "web-0")]);

        Assert.Equal(Path.Combine(VolumePath("data"), "web-0"), mounts[0].HostPath);
    }

    [Theory]
    [InlineData("../escape", null, "unable to provision SubPath `../escape`: must not contain '..'")]
    [InlineData("/etc", null, "error SubPath `/etc` must not be an absolute path")]
    [InlineData(null, "$(MISSING)", "missing value for MISSING")]
    public void Build_BadSubPath_Throws(string? subPath, string? subPathExpr, string message)
    {
        var container = ConfigTestPods.Container();
        container.VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data", SubPath = subPath, SubPathExpr = subPathExpr }];

        var error = Assert.Throws<ContainerConfigException>(() => Build(container, Volumes(("data", false))));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Build_SymlinkOutOfVolume_Refused()
    {
        Directory.CreateDirectory(VolumePath("data"));
        File.CreateSymbolicLink(Path.Combine(VolumePath("data"), "escape"), "/etc");
        var container = ConfigTestPods.Container();
        container.VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data", SubPath = "escape" }];

        var error = Assert.Throws<ContainerConfigException>(() => Build(container, Volumes(("data", false))));

        Assert.Equal("failed to prepare subPath for volumeMount \"data\" of container \"app\"", error.Message);
    }

    [Fact]
    public void Build_UnknownVolume_Throws()
    {
        var container = ConfigTestPods.Container();
        container.VolumeMounts = [new V1VolumeMount { Name = "absent", MountPath = "/data" }];

        var error = Assert.Throws<ContainerConfigException>(() => Build(container, Volumes()));

        Assert.Equal("cannot find volume \"absent\" to mount into container \"app\"", error.Message);
    }

    [Fact]
    public void Build_PodNetwork_HostsFileWrittenAndMounted()
    {
        var mounts = Build(ConfigTestPods.Container(), Volumes());

        var hosts = Assert.Single(mounts, m => m.ContainerPath == "/etc/hosts");
        Assert.Equal(Path.Combine(_root.Path, "etc-hosts"), hosts.HostPath);
        Assert.Contains("10.42.0.5\tweb\n", File.ReadAllText(hosts.HostPath));
        Assert.False(hosts.Readonly);
    }

    [Fact]
    public void Build_ContainerMountsEtcHosts_KeepsItsOwn()
    {
        var container = ConfigTestPods.Container();
        container.VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/etc/hosts", SubPath = "hosts" }];

        var mounts = Build(container, Volumes(("data", false)));

        Assert.Single(mounts, m => m.ContainerPath == "/etc/hosts");
        Assert.False(File.Exists(Path.Combine(_root.Path, "etc-hosts")));
    }

    [Fact]
    public void Build_EachInstance_FreshTerminationMessageFile()
    {
        var container = ConfigTestPods.Container();
        container.TerminationMessagePath = "/tmp/done";

        var first = Assert.Single(Build(container, Volumes()), m => m.ContainerPath == "/tmp/done");
        var second = Assert.Single(Build(container, Volumes()), m => m.ContainerPath == "/tmp/done");

        Assert.NotEqual(first.HostPath, second.HostPath);
        Assert.Equal(Path.Combine(_root.Path, "containers", "app"), Path.GetDirectoryName(first.HostPath));
        Assert.Equal(0, new FileInfo(first.HostPath).Length);
        Assert.Equal(UnixFileMode.OtherWrite, File.GetUnixFileMode(first.HostPath) & UnixFileMode.OtherWrite);
    }

    [Fact]
    public void Build_NoTerminationMessagePath_DevTerminationLog()
    {
        Assert.Single(Build(ConfigTestPods.Container(), Volumes()), m => m.ContainerPath == "/dev/termination-log");
    }

    [Fact]
    public void Propagation_UnknownMode_Throws()
    {
        var error = Assert.Throws<ContainerConfigException>(() => ContainerMounts.Propagation("Sideways"));

        Assert.Equal("invalid MountPropagation mode: \"Sideways\"", error.Message);
    }

    private List<Mount> Build(V1Container container, Dictionary<string, MountedVolume> volumes, IReadOnlyList<KeyValuePair<string, string>>? env = null) =>
        _mounts.Build(ConfigTestPods.Pod(container), container, ConfigTestPods.Context(_root.Path, volumes), env ?? []).ToList();

    private Dictionary<string, MountedVolume> Volumes(params (string Name, bool ReadOnly)[] volumes) =>
        volumes.ToDictionary(v => v.Name, v => new MountedVolume(VolumePath(v.Name), v.ReadOnly));

    private string VolumePath(string name) => Path.Combine(_root.Path, "volumes", name);
}
