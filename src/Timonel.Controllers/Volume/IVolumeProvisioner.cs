using k8s.Models;

namespace Timonel.Controllers.Volume;

/// <summary>
/// Makes and removes the storage behind dynamically provisioned volumes for the StorageClasses naming it as their
/// <c>provisioner</c> (upstream's ProvisionableVolumePlugin and DeletableVolumePlugin, for in-tree provisioners).
/// The PV controller calls it from its workers: a call may take time, but is retried on failure.
/// </summary>
public interface IVolumeProvisioner
{
    /// <summary>
    /// Creates storage for <paramref name="claim"/> of <paramref name="storageClass"/>, on
    /// <paramref name="selectedNode"/> when the class waits for the first consumer (else null), and answers the
    /// volume's spec: capacity, access modes, the volume source and any node affinity. The controller fills the
    /// claim reference, class, reclaim policy, mount options and volume mode.
    /// </summary>
    Task<V1PersistentVolumeSpec> ProvisionAsync(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string? selectedNode, CancellationToken cancellationToken);

    /// <summary>Removes the storage of a volume it provisioned whose reclaim policy is Delete; the controller then deletes the object.</summary>
    Task DeleteAsync(V1PersistentVolume volume, CancellationToken cancellationToken);
}
