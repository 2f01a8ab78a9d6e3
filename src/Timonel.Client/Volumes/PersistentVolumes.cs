using k8s.Models;
using Timonel.Client.Objects;

namespace Timonel.Client.Volumes;

/// <summary>
/// What the PV controller and the scheduler's VolumeBinding plugin both judge of volumes and claims (upstream
/// component-helpers/storage/volume and pkg/controller/volume/persistentvolume/util): classes, binding references and
/// which Available volume a claim takes.
/// </summary>
public static class PersistentVolumes
{
    /// <summary>The claim's binding is done (upstream AnnBindCompleted).</summary>
    public const string AnnBindCompleted = "pv.kubernetes.io/bind-completed";

    /// <summary>The controller, not the user, set the volume's claimRef or the claim's volumeName (AnnBoundByController).</summary>
    public const string AnnBoundByController = "pv.kubernetes.io/bound-by-controller";

    /// <summary>Which provisioner made the volume (AnnDynamicallyProvisioned).</summary>
    public const string AnnDynamicallyProvisioned = "pv.kubernetes.io/provisioned-by";

    /// <summary>Which provisioner is asked to make the claim's volume (AnnStorageProvisioner).</summary>
    public const string AnnStorageProvisioner = "volume.kubernetes.io/storage-provisioner";

    /// <summary>The deprecated twin of <see cref="AnnStorageProvisioner"/>, still written (AnnBetaStorageProvisioner).</summary>
    public const string AnnBetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";

    /// <summary>The claim's capacity before its volume was expanded, until the node finishes the resize (AnnPreResizeCapacity).</summary>
    public const string AnnPreResizeCapacity = "volume.alpha.kubernetes.io/pre-resize-capacity";

    /// <summary>The node the scheduler chose for a WaitForFirstConsumer claim (AnnSelectedNode).</summary>
    public const string AnnSelectedNode = "volume.kubernetes.io/selected-node";

    /// <summary>The storage class before spec.storageClassName existed (v1.BetaStorageClassAnnotation).</summary>
    public const string AnnBetaStorageClass = "volume.beta.kubernetes.io/storage-class";

    /// <summary>StorageClass volumeBindingMode that delays binding until a pod is scheduled.</summary>
    public const string WaitForFirstConsumer = "WaitForFirstConsumer";

    /// <summary>storagehelpers.GetPersistentVolumeClaimClass: the beta annotation wins over the field.</summary>
    public static string ClaimClass(V1PersistentVolumeClaim claim) =>
        claim.Metadata?.Annotations?.TryGetValue(AnnBetaStorageClass, out var cls) == true ? cls : claim.Spec?.StorageClassName ?? "";

    /// <summary>storagehelpers.GetPersistentVolumeClass.</summary>
    public static string VolumeClass(V1PersistentVolume volume) =>
        volume.Metadata?.Annotations?.TryGetValue(AnnBetaStorageClass, out var cls) == true ? cls : volume.Spec?.StorageClassName ?? "";

    public static bool HasAnnotation(V1ObjectMeta? meta, string key) => meta?.Annotations?.ContainsKey(key) == true;

    public static string? Annotation(V1ObjectMeta? meta, string key) => meta?.Annotations?.TryGetValue(key, out var value) == true ? value : null;

    /// <summary>The claim's class delays binding (storagehelpers.IsDelayBindingMode); a missing class does not.</summary>
    public static bool IsDelayBindingMode(V1PersistentVolumeClaim claim, Func<string, V1StorageClass?> classes) =>
        ClaimClass(claim) is { Length: > 0 } name && classes(name)?.VolumeBindingMode == WaitForFirstConsumer;

    /// <summary>The volume's claimRef names this very claim (storagehelpers.IsVolumeBoundToClaim; an empty UID matches any).</summary>
    public static bool IsVolumeBoundToClaim(V1PersistentVolume volume, V1PersistentVolumeClaim claim) =>
        volume.Spec?.ClaimRef is { } reference
        && reference.Name == claim.Metadata.Name
        && reference.NamespaceProperty == claim.Metadata.NamespaceProperty
        && (string.IsNullOrEmpty(reference.Uid) || reference.Uid == claim.Metadata.Uid);

    /// <summary>A claimRef naming the claim (as upstream's reference.GetReference fills it when binding).</summary>
    public static V1ObjectReference ClaimReference(V1PersistentVolumeClaim claim) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        NamespaceProperty = claim.Metadata.NamespaceProperty,
        Name = claim.Metadata.Name,
        Uid = claim.Metadata.Uid,
        ResourceVersion = claim.Metadata.ResourceVersion,
    };

    /// <summary>The claims a pod's volumes name: persistentVolumeClaim sources, and generic ephemeral volumes (pod-volume).</summary>
    public static IEnumerable<string> PodClaimNames(V1Pod pod) =>
        (pod.Spec?.Volumes ?? []).Select(v => v.PersistentVolumeClaim?.ClaimName ?? (v.Ephemeral is not null ? $"{pod.Metadata.Name}-{v.Name}" : null)).OfType<string>();

    public static decimal Storage(IDictionary<string, ResourceQuantity>? resources) =>
        resources?.TryGetValue("storage", out var quantity) == true && quantity is not null ? quantity.ToDecimal() : 0m;

    /// <summary>The claim asks block and the volume is a filesystem, or the reverse (CheckVolumeModeMismatches; unset is Filesystem).</summary>
    public static bool VolumeModeMismatches(V1PersistentVolumeClaim claim, V1PersistentVolume volume) =>
        (claim.Spec?.VolumeMode ?? "Filesystem") != (volume.Spec?.VolumeMode ?? "Filesystem");

    /// <summary>Every access mode the claim asks is one the volume has.</summary>
    public static bool HasAccessModes(V1PersistentVolume volume, V1PersistentVolumeClaim claim) =>
        (claim.Spec?.AccessModes ?? []).All(mode => volume.Spec?.AccessModes?.Contains(mode) == true);

    /// <summary>
    /// Why the claim cannot take the volume it names (checkVolumeSatisfyClaim in pv_controller.go), or null. The
    /// texts are upstream's.
    /// </summary>
    public static string? CheckVolumeSatisfyClaim(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        if (Storage(volume.Spec?.Capacity) < Storage(claim.Spec?.Resources?.Requests))
        {
            return "requested PV is too small";
        }

        if (VolumeClass(volume) != ClaimClass(claim))
        {
            return "storageClassName does not match";
        }

        if (VolumeModeMismatches(claim, volume))
        {
            return "incompatible volumeMode";
        }

        return HasAccessModes(volume, claim) ? null : "incompatible accessMode";
    }

    /// <summary>
    /// The volume a claim should take (upstream FindMatchingVolume over the access-mode index): one already bound
    /// to the claim, else among Available unbound volumes of its class, selector, volume mode, access modes and
    /// node (when <paramref name="nodeFits"/> is given, the scheduler's case), the smallest that holds the request,
    /// from the volumes with the fewest access modes first. With <paramref name="delayBinding"/> and no node (the
    /// controller on a WaitForFirstConsumer claim) only a volume already bound to the claim is answered: the
    /// scheduler picks the others.
    /// </summary>
    public static V1PersistentVolume? FindMatchingVolume(
        V1PersistentVolumeClaim claim,
        IEnumerable<V1PersistentVolume> volumes,
        bool delayBinding,
        Func<V1PersistentVolume, bool>? nodeFits = null,
        IReadOnlySet<string>? excluded = null)
    {
        var requested = Storage(claim.Spec?.Resources?.Requests);
        var requestedClass = ClaimClass(claim);
        var selector = claim.Spec?.Selector;
        V1PersistentVolume? best = null;
        foreach (var volume in volumes)
        {
            if (volume.Metadata.DeletionTimestamp is not null || VolumeModeMismatches(claim, volume))
            {
                continue;
            }

            var size = Storage(volume.Spec?.Capacity);
            if (IsVolumeBoundToClaim(volume, claim))
            {
                // Pre-bound (by a user or a provisioner): it is the claim's if it is big enough, wherever it is.
                if (size < requested)
                {
                    continue;
                }

                return volume;
            }

            if ((nodeFits is null && delayBinding) || volume.Spec?.ClaimRef is not null || volume.Status?.Phase != "Available"
                || (selector is not null && !LabelSelectors.Matches(selector, volume.Metadata.Labels))
                || VolumeClass(volume) != requestedClass
                || (nodeFits is not null && !nodeFits(volume))
                || excluded?.Contains(volume.Metadata.Name) == true
                || size < requested || !HasAccessModes(volume, claim))
            {
                continue;
            }

            if (best is null || Better(volume, size, best))
            {
                best = volume;
            }
        }

        return best;
    }

    // The access-mode index answers the volumes with the fewest modes first, the smallest of them first; names break
    // the remaining ties so the answer does not depend on the cache's order.
    private static bool Better(V1PersistentVolume candidate, decimal size, V1PersistentVolume best)
    {
        var modes = candidate.Spec.AccessModes?.Count ?? 0;
        var bestModes = best.Spec.AccessModes?.Count ?? 0;
        if (modes != bestModes)
        {
            return modes < bestModes;
        }

        var bestSize = Storage(best.Spec.Capacity);
        return size != bestSize ? size < bestSize : string.CompareOrdinal(candidate.Metadata.Name, best.Metadata.Name) < 0;
    }
}
