using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// The node's part of a claim's expansion (upstream's NodeExpandVolume, then MarkFSResizeFinished with
/// RecoverVolumeExpansionFailure on, as in 1.32), for the volumes this kubelet serves: a hostPath or local directory
/// has no file system of its own to grow, so a claim waiting for the node (condition FileSystemResizePending or
/// allocatedResourceStatuses NodeResizePending) is given its volume's new capacity, its resize conditions and its
/// storage resize status go, and <see cref="Finished"/> is raised for the events. Done when the volume is mounted
/// and, for running pods, when their volumes are refreshed (upstream's online expansion).
/// </summary>
public sealed class ClaimExpansion
{
    public const string FileSystemResizePending = "FileSystemResizePending";

    public const string NodeResizePending = "NodeResizePending";

    private const string Resizing = "Resizing";

    private readonly IPodObjects _objects;

    public ClaimExpansion(IPodObjects objects) => _objects = objects;

    /// <summary>Raised once a claim's expansion is finished, after its status was written.</summary>
    public event Action<FileSystemResize>? Finished;

    /// <summary>Finishes the expansion of the claim <paramref name="volume"/> of <paramref name="pod"/> names, if one waits.</summary>
    public async Task FinishAsync(V1Pod pod, V1Volume volume, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        if (await _objects.GetPersistentVolumeClaimAsync(ns, PersistentVolumeClaimVolumePlugin.ClaimName(pod, volume), cancellationToken) is not { } claim
            || !Pending(claim)
            || await _objects.GetPersistentVolumeAsync(claim.Spec.VolumeName, cancellationToken) is not { } bound
            || bound.Spec.ClaimRef?.Uid != claim.Metadata.Uid)
        {
            return;
        }

        await FinishAsync(pod, claim, bound, cancellationToken);
    }

    /// <summary>Finishes the expansion of <paramref name="claim"/>, bound to <paramref name="volume"/> and mounted for <paramref name="pod"/>, if one waits.</summary>
    public async Task FinishAsync(V1Pod pod, V1PersistentVolumeClaim claim, V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (!Pending(claim))
        {
            return;
        }

        var status = claim.Status;
        status.Capacity = volume.Spec.Capacity;
        // An empty list is no list, as Go's omitempty writes it.
        List<V1PersistentVolumeClaimCondition> kept = [.. status.Conditions?.Where(c => c.Type is not (FileSystemResizePending or Resizing)) ?? []];
        status.Conditions = kept.Count == 0 ? null : kept;
        if (status.AllocatedResourceStatuses is { } statuses)
        {
            statuses.Remove("storage");
            status.AllocatedResourceStatuses = statuses.Count == 0 ? null : statuses;
        }

        await _objects.UpdatePersistentVolumeClaimStatusAsync(claim, cancellationToken);
        Finished?.Invoke(new FileSystemResize(pod, claim, volume.Metadata.Name));
    }

    private static bool Pending(V1PersistentVolumeClaim claim) =>
        !string.IsNullOrEmpty(claim.Spec?.VolumeName)
        && (claim.Status?.Conditions?.Any(c => c.Type == FileSystemResizePending && c.Status == "True") == true
            || claim.Status?.AllocatedResourceStatuses?.TryGetValue("storage", out var resize) == true && resize == NodeResizePending);
}
