using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Kubelet.Volumes;
using Timonel.Testing.Kubelet;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

/// <summary>A volume manager over a temporary root, fake API objects and a fake clock.</summary>
public sealed class VolumeManagerFixture : IDisposable
{
    public VolumeManagerFixture(bool canMount = false)
    {
        Objects = new FakePodObjects(Clock);
        Manager = new VolumeManager(
            Objects,
            new VolumeManagerOptions
            {
                RootDirectory = Root.Path,
                CanMount = canMount,
                NodeAllocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("8Gi") },
            },
            Clock,
            NullLogger.Instance);
    }

    public TemporaryDirectory Root { get; } = new();

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-12-06T10:00:00Z"));

    public FakePodObjects Objects { get; }

    public VolumeManager Manager { get; }

    public async Task<MountedVolume> MountOneAsync(V1Pod pod) => (await Manager.MountAsync(pod, CancellationToken.None)).Single().Value;

    public Task<VolumeSetupException> MountFailsAsync(V1Pod pod) =>
        Assert.ThrowsAsync<VolumeSetupException>(() => Manager.MountAsync(pod, CancellationToken.None));

    /// <summary>The names a container sees in the volume (the writer's own ..names left out).</summary>
    public static string[] VisibleNames(MountedVolume volume) =>
        [.. Directory.EnumerateFileSystemEntries(volume.HostPath).Select(Path.GetFileName).Where(n => !n!.StartsWith("..", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!];

    public static string Read(MountedVolume volume, string path) => File.ReadAllText(Path.Combine(volume.HostPath, path));

    public static UnixFileMode ModeOf(MountedVolume volume, string path) =>
        new FileInfo(Path.Combine(volume.HostPath, path)).ResolveLinkTarget(returnFinalTarget: true)?.UnixFileMode ?? File.GetUnixFileMode(Path.Combine(volume.HostPath, path));

    public void Dispose()
    {
        foreach (var uid in Manager.MountedPods)
        {
            Manager.UnmountAsync(uid, CancellationToken.None).GetAwaiter().GetResult();
        }

        Root.Dispose();
    }
}
