using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// emptyDir volumes (upstream pkg/volume/emptydir): a directory open to every user (0777), or for medium Memory a
/// tmpfs mounted on it, of sizeLimit when given.
/// </summary>
internal sealed class EmptyDirVolumePlugin : IVolumePlugin
{
    private const UnixFileMode OpenToAll = (UnixFileMode)0b111_111_111;

    private readonly MemoryMedium _memory;

    public EmptyDirVolumePlugin(MemoryMedium memory) => _memory = memory;

    public string? DirectoryName => "kubernetes.io~empty-dir";

    public bool Refreshes => false;

    public bool Handles(V1Volume volume) => volume.EmptyDir is not null;

    public Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var source = context.Volume.EmptyDir;
        var directory = context.Directory;
        try
        {
            var fresh = !Directory.Exists(directory);
            if (fresh)
            {
                Directory.CreateDirectory(directory);
                File.SetUnixFileMode(directory, OpenToAll);
            }

            switch (source.Medium ?? "")
            {
                case "":
                    break;
                case "Memory":
                    fresh |= _memory.EnsureMounted(context, source.SizeLimit);
                    break;
                default:
                    throw context.Failure($"emptyDir medium {source.Medium} is not supported on this node");
            }

            // Only a new volume is given the group: a pod's files keep whatever group they were written with.
            if (fresh && context.Pod.Spec.SecurityContext?.FsGroup is { } gid)
            {
                VolumeOwnership.Apply(directory, gid, readOnly: false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw context.Failure(e.Message);
        }

        return Task.FromResult(new MountedVolume(directory, ReadOnly: false));
    }
}
