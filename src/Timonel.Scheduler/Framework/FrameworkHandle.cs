using k8s.Models;
using Timonel.Client.Informers;
using Timonel.Scheduler.Cache;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// What a profile's plugins are built with (upstream's framework.Handle): the API writes, the cycle's snapshot of
/// nodes and pods, the clock, and the caches of other kinds a plugin reads (claims, volumes, budgets...). A cache
/// left null is one the caller does not feed (unit tests of plugins that do not read it).
/// </summary>
public sealed class FrameworkHandle
{
    public FrameworkHandle(ISchedulerApi api, Snapshot snapshot, TimeProvider time)
    {
        Api = api;
        Snapshot = snapshot;
        Time = time;
    }

    public ISchedulerApi Api { get; }

    public Snapshot Snapshot { get; }

    public TimeProvider Time { get; }

    /// <summary>PersistentVolumeClaims, as the informer sees them (VolumeBinding, VolumeRestrictions).</summary>
    public InformerCache<V1PersistentVolumeClaim>? PersistentVolumeClaims { get; init; }

    /// <summary>PersistentVolumes, as the informer sees them (VolumeBinding).</summary>
    public InformerCache<V1PersistentVolume>? PersistentVolumes { get; init; }

    /// <summary>StorageClasses, as the informer sees them (VolumeBinding).</summary>
    public InformerCache<V1StorageClass>? StorageClasses { get; init; }
}
