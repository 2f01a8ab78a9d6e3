using k8s.Models;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Testing.Kubelet;

/// <summary>Volumes that mount at once (to empty host paths), unless the test names one that cannot be set up yet.</summary>
public sealed class FakeVolumeManager : IVolumeManager
{
    private readonly Lock _lock = new();
    private readonly List<string> _mounted = [];
    private readonly List<string> _unmounted = [];
    private readonly List<string> _refreshed = [];

    /// <summary>Never raised: these volumes never grow.</summary>
    public event Action<FileSystemResize>? FileSystemResized
    {
        add { }
        remove { }
    }

    /// <summary>Mounting fails for this volume with this message while set.</summary>
    public (string Volume, string Message)? Failure { get; set; }

    public IReadOnlyList<string> Mounted
    {
        get
        {
            lock (_lock)
            {
                return [.. _mounted];
            }
        }
    }

    public IReadOnlyList<string> Unmounted
    {
        get
        {
            lock (_lock)
            {
                return [.. _unmounted];
            }
        }
    }

    /// <summary>The uids of the pods whose volumes the kubelet asked to refresh, in order.</summary>
    public IReadOnlyList<string> Refreshed
    {
        get
        {
            lock (_lock)
            {
                return [.. _refreshed];
            }
        }
    }

    public Task RefreshAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _refreshed.Add(pod.Metadata.Uid);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, MountedVolume>> MountAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            throw new VolumeSetupException(failure.Volume, failure.Message);
        }

        lock (_lock)
        {
            _mounted.Add(pod.Metadata.Uid);
        }

        IReadOnlyDictionary<string, MountedVolume> volumes = (pod.Spec.Volumes ?? []).ToDictionary(v => v.Name, v => new MountedVolume($"/var/lib/timonel/pods/{pod.Metadata.Uid}/volumes/{v.Name}", false), StringComparer.Ordinal);
        return Task.FromResult(volumes);
    }

    public Task UnmountAsync(string podUid, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _unmounted.Add(podUid);
        }

        return Task.CompletedTask;
    }
}
