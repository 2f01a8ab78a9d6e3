using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class VolumeSubPathTests : IDisposable
{
    private readonly TemporaryDirectory _volume = new();
    private readonly TemporaryDirectory _outside = new();

    public void Dispose()
    {
        _volume.Dispose();
        _outside.Dispose();
    }

    [Fact]
    public void MissingSubPath_IsMadeAsADirectory()
    {
        var resolved = VolumeSubPath.Resolve(new MountedVolume(_volume.Path, false), "mysql/data");

        Assert.Equal(Path.Combine(_volume.Path, "mysql", "data"), resolved);
        Assert.True(Directory.Exists(resolved));
    }

    [Fact]
    public void SubPathThroughTheAtomicWritersLinks_ResolvesToTheCurrentFile()
    {
        new AtomicWriter(_volume.Path, TimeProvider.System).Write(new Dictionary<string, FileProjection> { ["nginx.conf"] = new("x"u8.ToArray(), (UnixFileMode)0b110_100_100) });

        var resolved = VolumeSubPath.Resolve(new MountedVolume(_volume.Path, true), "nginx.conf");

        Assert.StartsWith(Path.Combine(_volume.Path, ".."), resolved);
        Assert.Equal("x", File.ReadAllText(resolved));
    }

    [Fact]
    public void SymlinkOutOfTheVolume_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_volume.Path, "escape"), _outside.Path);

        var e = Assert.Throws<ArgumentException>(() => VolumeSubPath.Resolve(new MountedVolume(_volume.Path, false), "escape"));

        Assert.Equal($"subpath \"{_outside.Path}\" not within volume path \"{_volume.Path}\"", e.Message);
    }

    [Theory]
    [InlineData("/etc", "error SubPath `/etc` must not be an absolute path")]
    [InlineData("a/../../etc", "unable to provision SubPath `a/../../etc`: must not contain '..'")]
    public void AbsoluteOrBackstepping_IsRefused(string subPath, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => VolumeSubPath.Resolve(new MountedVolume(_volume.Path, false), subPath));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void SymlinkLoop_IsAnErrorNotAHang()
    {
        File.CreateSymbolicLink(Path.Combine(_volume.Path, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_volume.Path, "b"), "a");

        Assert.Throws<ArgumentException>(() => VolumeSubPath.Resolve(new MountedVolume(_volume.Path, false), "a"));
    }
}
