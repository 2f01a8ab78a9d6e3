using k8s.Models;

namespace Timonel.Scheduler;

/// <summary>
/// The scheduler's writes to the API server: bindings, pod status, preemption's deletions and volume bindings (a fake
/// records them in tests).
/// </summary>
public interface ISchedulerApi
{
    /// <summary>POST pods/{name}/binding.</summary>
    Task BindAsync(V1Binding binding, CancellationToken cancellationToken);

    /// <summary>A strategic merge patch of pods/{name}/status.</summary>
    Task PatchPodStatusAsync(string ns, string name, string patchJson, CancellationToken cancellationToken);

    /// <summary>DELETE pods/{name} (preemption's victims); false when the pod was already gone.</summary>
    Task<bool> DeletePodAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>PUT persistentvolumes/{name} (VolumeBinding's PreBind: a volume's claimRef); answers the stored volume.</summary>
    Task<V1PersistentVolume> UpdatePersistentVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken);

    /// <summary>PUT a claim (VolumeBinding's PreBind: the selected-node annotation); answers the stored claim.</summary>
    Task<V1PersistentVolumeClaim> UpdatePersistentVolumeClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken);
}
