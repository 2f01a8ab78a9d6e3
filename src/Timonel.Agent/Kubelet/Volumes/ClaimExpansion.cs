using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// The node's part of a claim's expansion (upstream's NodeExpandVolume, then MarkFSResizeFinished), for the volumes
/// this kubelet serves: a hostPath or local directory has no file system of its own to grow, so a claim marked
/// FileSystemResizePending is told its volume's new capacity and the condition goes. Done when the volume is mounted
/// and, for running pods, when their volumes are refreshed (upstream's online expansion).
/// </summary>
public sealed class ClaimExpansion
{
    public const string FileSystemResizePending = "FileSystemResizePending";

    private readonly IPodObjects _objects;

    public ClaimExpansion(IPodObjects objects) => _objects = objects;

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

        await FinishAsync(claim, bound, cancellationToken);
    }

    /// <summary>Finishes the expansion of <paramref name="claim"/>, bound to <paramref name="volume"/>, if one waits.</summary>
    public async Task FinishAsync(V1PersistentVolumeClaim claim, V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (!Pending(claim))
        {
            return;
        }

        claim.Status.Capacity = volume.Spec.Capacity;
        claim.Status.Conditions = [.. claim.Status.Conditions.Where(c => c.Type != FileSystemResizePending)];
        await _objects.UpdatePersistentVolumeClaimStatusAsync(claim, cancellationToken);
    }

    private static bool Pending(V1PersistentVolumeClaim claim) =>
        !string.IsNullOrEmpty(claim.Spec?.VolumeName)
        && claim.Status?.Conditions?.Any(c => c.Type == FileSystemResizePending && c.Status == "True") == true;
}
