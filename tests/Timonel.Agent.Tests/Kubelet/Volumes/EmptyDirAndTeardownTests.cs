using k8s.Models;
using Timonel.Agent.Kubelet.Volumes;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeTestPods;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class EmptyDirAndTeardownTests : IDisposable
{
    private readonly VolumeManagerFixture _fixture = new(canMount: Environment.IsPrivilegedProcess);
    private readonly TemporaryDirectory _host = new();

    public void Dispose()
    {
        _fixture.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task EmptyDir_IsADirectoryEveryUserCanWrite()
    {
        var pod = With(new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() });

        var volume = await _fixture.MountOneAsync(pod);

        Assert.Equal(Path.Combine(_fixture.Root.Path, "pods", pod.Metadata.Uid, "volumes", "kubernetes.io~empty-dir", "cache"), volume.HostPath);
        Assert.Equal((UnixFileMode)0b111_111_111, File.GetUnixFileMode(volume.HostPath));
        Assert.False(volume.ReadOnly);
    }

    [Fact]
    public async Task EmptyDir_KeepsItsContentsWhenMountedAgain()
    {
        var pod = With(new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() });
        var volume = await _fixture.MountOneAsync(pod);
        File.WriteAllText(Path.Combine(volume.HostPath, "state"), "kept");

        await _fixture.MountOneAsync(pod);

        Assert.Equal("kept", File.ReadAllText(Path.Combine(volume.HostPath, "state")));
    }

    [SkippableFact]
    public async Task MemoryEmptyDir_IsATmpfsOfItsSizeLimit_UnmountedByTeardown()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "mounting tmpfs needs root");
        var pod = With(new V1Volume { Name = "shm", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } });

        var volume = await _fixture.MountOneAsync(pod);
        var mounted = MountTable.IsMountPoint(volume.HostPath);
        var size = new DriveInfo(volume.HostPath).TotalSize;
        await _fixture.Manager.UnmountAsync(pod.Metadata.Uid, CancellationToken.None);

        Assert.True(mounted);
        Assert.Equal(1024 * 1024, size);
        Assert.False(MountTable.IsMountPoint(volume.HostPath));
        Assert.False(Directory.Exists(volume.HostPath));
    }

    [SkippableFact]
    public async Task SecretVolume_IsKeptInMemory()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "mounting tmpfs needs root");
        _fixture.Objects.Add(Secret("db", ("password", "s3cr3t")));
        var pod = With(new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db" } });

        var volume = await _fixture.MountOneAsync(pod);
        await _fixture.Manager.RefreshAsync(pod, CancellationToken.None);

        Assert.Equal([volume.HostPath], MountTable.MountsUnder(volume.HostPath));
        Assert.Equal("s3cr3t", File.ReadAllText(Path.Combine(volume.HostPath, "password")));
    }

    [Fact]
    public async Task MemoryEmptyDir_WithoutRoot_IsADirectory()
    {
        using var unprivileged = new VolumeManagerFixture(canMount: false);
        var pod = With(new V1Volume { Name = "shm", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } });

        var volume = await unprivileged.MountOneAsync(pod);

        Assert.True(Directory.Exists(volume.HostPath));
        Assert.False(MountTable.IsMountPoint(volume.HostPath));
    }

    [Fact]
    public async Task Teardown_RemovesThePodsVolumes_AndKeepsHostPathsAndClaimContents()
    {
        _fixture.Objects.Add(ConfigMap("game-demo", ("lives", "3")));
        var hostFile = Path.Combine(_host.Path, "keep");
        File.WriteAllText(hostFile, "host data");
        var pod = With(
            new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() },
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "game-demo" } },
            new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = _host.Path } });
        var volumes = await _fixture.Manager.MountAsync(pod, CancellationToken.None);

        // A symlink out of the pod's volume must not lead teardown into the host's files.
        File.CreateSymbolicLink(Path.Combine(volumes["cache"].HostPath, "escape"), _host.Path);
        await _fixture.Manager.UnmountAsync(pod.Metadata.Uid, CancellationToken.None);

        Assert.False(Directory.Exists(Path.Combine(_fixture.Root.Path, "pods", pod.Metadata.Uid, "volumes")));
        Assert.Equal("host data", File.ReadAllText(hostFile));
        Assert.DoesNotContain(pod.Metadata.Uid, _fixture.Manager.MountedPods);
    }

    [Fact]
    public async Task Teardown_OfAPodNeverMounted_RemovesWhatALastRunLeft()
    {
        var uid = Guid.NewGuid().ToString();
        var leftover = Path.Combine(_fixture.Root.Path, "pods", uid, "volumes", "kubernetes.io~empty-dir", "cache");
        Directory.CreateDirectory(leftover);

        await _fixture.Manager.UnmountAsync(uid, CancellationToken.None);

        Assert.False(Directory.Exists(leftover));
    }
}
