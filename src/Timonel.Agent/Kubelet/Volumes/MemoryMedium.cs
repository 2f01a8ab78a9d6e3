using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// Puts a volume's directory in memory: a tmpfs mounted on it (mount(2) needs root). Memory emptyDirs use it, and so
/// do Secret and projected volumes, as upstream wraps them in a Memory emptyDir so that credentials never reach the
/// disk. A kubelet that is not root keeps such volumes on disk and says so.
/// </summary>
internal sealed class MemoryMedium
{
    private readonly ILogger _logger;
    private readonly bool _canMount;
    private int _warned;

    public MemoryMedium(ILogger logger, bool canMount)
    {
        _logger = logger;
        _canMount = canMount;
    }

    /// <summary>Mounts a tmpfs (of <paramref name="sizeLimit"/> when given) on the volume's existing directory unless one is there; answers whether it mounted one now.</summary>
    public bool EnsureMounted(VolumeSetupContext context, ResourceQuantity? sizeLimit)
    {
        if (!_canMount)
        {
            // Said once: Secret volumes are set up again every refresh.
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                _logger.LogWarning("Volume {Volume} of pod {Namespace}/{Pod} belongs in memory, but mounting tmpfs needs root: it and such volumes after it are directories on disk instead", context.Volume.Name, context.Namespace, context.Pod.Metadata.Name);
            }

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
