using System.Collections.Concurrent;
using k8s.Models;

namespace Timonel.Scheduler.Plugins.VolumeBinding;

/// <summary>The pod's claims as PreFilter sorted them, and what Filter found on each node (written from several threads).</summary>
internal sealed class VolumeBindingState
{
    public required IReadOnlyList<V1PersistentVolumeClaim> BoundClaims { get; init; }

    public required IReadOnlyList<V1PersistentVolumeClaim> ClaimsToBind { get; init; }

    public ConcurrentDictionary<string, PodVolumes> PodVolumesByNode { get; } = new(StringComparer.Ordinal);

    /// <summary>What Reserve kept for the chosen node; PreBind writes it.</summary>
    public PodVolumes? Reserved { get; set; }
}
