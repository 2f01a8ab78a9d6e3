using k8s.Autorest;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// persistentVolumeClaim volumes (and generic ephemeral ones, whose claim is named <c>pod-volume</c>): the claim's
/// bound volume, served when it is a hostPath or local volume on this node (what the local-path provisioner makes).
/// The volume's contents are never touched by teardown; an expansion waiting for the node is finished at mount.
/// </summary>
internal sealed class PersistentVolumeClaimVolumePlugin : IVolumePlugin
{
    private readonly IPodObjects _objects;
    private readonly ClaimExpansion _expansion;

    public PersistentVolumeClaimVolumePlugin(IPodObjects objects, ClaimExpansion expansion)
    {
        _objects = objects;
        _expansion = expansion;
    }

    public string? DirectoryName => null;

    public bool Refreshes => false;

    public bool Handles(V1Volume volume) => volume.PersistentVolumeClaim is not null || volume.Ephemeral is not null;

    /// <summary>The claim a volume names, or the one a generic ephemeral volume gets (&lt;pod&gt;-&lt;volume&gt;).</summary>
    public static string ClaimName(V1Pod pod, V1Volume volume) =>
        volume.PersistentVolumeClaim?.ClaimName ?? $"{pod.Metadata.Name}-{volume.Name}";

    public async Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var claimName = ClaimName(context.Pod, context.Volume);
        var readOnly = context.Volume.PersistentVolumeClaim?.ReadOnlyProperty == true;
        var claim = await _objects.GetPersistentVolumeClaimAsync(context.Namespace, claimName, cancellationToken)
            ?? throw context.Failure($"persistentvolumeclaim \"{claimName}\" not found");
        if (claim.Metadata.DeletionTimestamp is not null)
        {
            throw context.Failure($"can't start pod because PVC {context.Namespace}/{claimName} is being deleted");
        }

        if (context.Volume.Ephemeral is not null && claim.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == context.Pod.Metadata.Uid) != true)
        {
            throw context.Failure($"PVC {context.Namespace}/{claimName} was not created for pod {context.Namespace}/{context.Pod.Metadata.Name} (pod is not owner)");
        }

        if (string.IsNullOrEmpty(claim.Spec?.VolumeName) || claim.Status?.Phase != "Bound")
        {
            throw context.Failure($"persistentvolumeclaim \"{claimName}\" is not bound");
        }

        var volume = await _objects.GetPersistentVolumeAsync(claim.Spec.VolumeName, cancellationToken)
            ?? throw context.Failure($"persistentvolume \"{claim.Spec.VolumeName}\" not found");
        if (volume.Spec.ClaimRef?.Uid is not { } boundUid || boundUid != claim.Metadata.Uid)
        {
            throw context.Failure($"found PV object {volume.Metadata.Name} but its pv.Spec.ClaimRef.UID ({volume.Spec.ClaimRef?.Uid}) does not point to claim.UID ({claim.Metadata.Uid})");
        }

        readOnly |= volume.Spec.AccessModes is { Count: > 0 } modes && modes.All(m => m == "ReadOnlyMany");
        var mounted = new MountedVolume(HostDirectory(context, volume), readOnly);
        try
        {
            await _expansion.FinishAsync(context.Pod, claim, volume, cancellationToken);
        }
        catch (HttpOperationException)
        {
            // Tried again when the pod's volumes are refreshed: the volume itself is ready.
        }

        return mounted;
    }

    private static string HostDirectory(VolumeSetupContext context, V1PersistentVolume volume)
    {
        if (volume.Spec.HostPath is { } hostPath)
        {
            return HostPathVolumePlugin.Checked(context, hostPath.Path, hostPath.Type);
        }

        if (volume.Spec.Local is { } local)
        {
            return Path.Exists(local.Path) ? local.Path : throw context.Failure($"local volume path {local.Path} does not exist on this node");
        }

        throw context.Failure($"persistentvolume \"{volume.Metadata.Name}\" has a volume source this node cannot mount: only hostPath and local volumes are served");
    }
}
