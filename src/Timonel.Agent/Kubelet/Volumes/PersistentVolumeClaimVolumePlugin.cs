using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// persistentVolumeClaim volumes (and generic ephemeral ones, whose claim is named <c>pod-volume</c>): the claim's
/// bound volume, served when it is a hostPath or local volume on this node (what the local-path provisioner makes).
/// The volume's contents are never touched by teardown.
/// </summary>
internal sealed class PersistentVolumeClaimVolumePlugin : IVolumePlugin
{
    private readonly IPodObjects _objects;

    public PersistentVolumeClaimVolumePlugin(IPodObjects objects) => _objects = objects;

    public string? DirectoryName => null;

    public bool Refreshes => false;

    public bool Handles(V1Volume volume) => volume.PersistentVolumeClaim is not null || volume.Ephemeral is not null;

    public async Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var (claimName, readOnly) = context.Volume.PersistentVolumeClaim is { } source
            ? (source.ClaimName, source.ReadOnlyProperty == true)
            : ($"{context.Pod.Metadata.Name}-{context.Volume.Name}", false);
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
        return new MountedVolume(HostDirectory(context, volume), readOnly);
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
