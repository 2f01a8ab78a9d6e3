using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// Sets up a pod's volumes on the node before its containers start, keeps ConfigMap, Secret, projected and
/// downwardAPI contents current while it runs, and tears them down once its containers are gone (the kubelet's
/// volume manager).
/// </summary>
public interface IVolumeManager
{
    /// <summary>Raised when a claim's volume, mounted for a pod, finished growing on the node (for the FileSystemResizeSuccessful events).</summary>
    event Action<FileSystemResize>? FileSystemResized;

    /// <summary>Prepares every volume in the pod's spec; answers them by volume name. Throws <see cref="VolumeSetupException"/> when one cannot be set up yet.</summary>
    Task<IReadOnlyDictionary<string, MountedVolume>> MountAsync(V1Pod pod, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the ConfigMap, Secret, projected and downwardAPI volumes of a pod already mounted up to date (with the
    /// API objects and with <paramref name="pod"/>'s labels and annotations): the pod worker calls it when the pod
    /// changes. Does nothing for a pod not mounted; throws the first <see cref="VolumeSetupException"/> after trying
    /// every volume, leaving that volume's previous contents.
    /// </summary>
    Task RefreshAsync(V1Pod pod, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="MountAsync"/> made for the pod (its volumes' directories; hostPath and PV contents are kept).</summary>
    Task UnmountAsync(string podUid, CancellationToken cancellationToken);
}
