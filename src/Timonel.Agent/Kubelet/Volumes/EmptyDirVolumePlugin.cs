using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// emptyDir volumes (upstream pkg/volume/emptydir): a directory open to every user (0777), or for medium Memory a
/// tmpfs mounted on it, of sizeLimit when given. Mounting needs root: a kubelet that is not root serves Memory volumes
/// as plain directories and says so.
/// </summary>
internal sealed class EmptyDirVolumePlugin : IVolumePlugin
{
    private const UnixFileMode OpenToAll = (UnixFileMode)0b111_111_111;

    private readonly ILogger _logger;
    private readonly bool _canMount;

    public EmptyDirVolumePlugin(ILogger logger, bool canMount)
    {
        _logger = logger;
        _canMount = canMount;
    }

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
                    fresh |= MountTmpfs(context, source.SizeLimit);
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

    /// <summary>Answers whether it mounted one now.</summary>
    private bool MountTmpfs(VolumeSetupContext context, ResourceQuantity? sizeLimit)
    {
        if (!_canMount)
        {
            _logger.LogWarning("Volume {Volume} of pod {Namespace}/{Pod} asks for medium Memory, but mounting tmpfs needs root: it is a directory on disk instead", context.Volume.Name, context.Namespace, context.Pod.Metadata.Name);
            return false;
        }

        if (MountTable.IsMountPoint(context.Directory))
        {
            return false;
        }

        var options = "mode=0777";
        if (sizeLimit is not null && sizeLimit.ToDecimal() > 0)
        {
            options += ",size=" + ((long)Math.Ceiling(sizeLimit.ToDecimal())).ToString(CultureInfo.InvariantCulture);
        }

        VolumeSyscalls.MountTmpfs(context.Directory, options);
        return true;
    }
}
