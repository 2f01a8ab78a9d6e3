using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Volumes;

namespace Timonel.Controllers.Volume;

/// <summary>
/// Binds claims to volumes and reclaims released volumes, as kube-controller-manager's persistent volume controller
/// does (pkg/controller/volume/persistentvolume/pv_controller.go): syncClaim and syncVolume on keys
/// <c>claim:ns/name</c> and <c>volume:name</c> of one queue. A binding is written volume first (claimRef, Bound),
/// then claim (volumeName, bind-completed, Bound), so a crash in between is finished by the next sync. Claims of a
/// WaitForFirstConsumer class are left to the scheduler until it names a node; claims no volume fits are provisioned
/// by the class's <see cref="IVolumeProvisioner"/>, or annotated for an external provisioner.
/// </summary>
public sealed class PersistentVolumeController : ControllerBase
{
    /// <summary>The component events are reported by (upstream's eventRecorder in NewController).</summary>
    public const string Component = "persistentvolume-controller";

    /// <summary>How often unbound claims are looked at again (kube-controller-manager's --pvclaimbinder-sync-period).</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(15);

    private const string ClaimPrefix = "claim:";
    private const string VolumePrefix = "volume:";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1PersistentVolume> _volumes;
    private readonly SharedInformer<V1PersistentVolumeClaim> _claims;
    private readonly SharedInformer<V1StorageClass> _classes;
    private readonly IReadOnlyDictionary<string, IVolumeProvisioner> _provisioners;
    private readonly IEventRecorder _events;

    public PersistentVolumeController(
        IKubernetes client,
        SharedInformer<V1PersistentVolume> volumes,
        SharedInformer<V1PersistentVolumeClaim> claims,
        SharedInformer<V1StorageClass> classes,
        IReadOnlyDictionary<string, IVolumeProvisioner> provisioners,
        IEventRecorder events,
        TimeProvider time,
        ILogger<PersistentVolumeController> logger)
        : base(logger, time, [volumes, claims, classes], workers: 2)
    {
        _client = client;
        _volumes = volumes;
        _claims = claims;
        _classes = classes;
        _provisioners = provisioners;
        _events = events;
        volumes.AddHandlers(new(OnAdd: EnqueueVolume, OnUpdate: (_, v) => EnqueueVolume(v), OnDelete: OnVolumeDeleted));
        claims.AddHandlers(new(OnAdd: EnqueueClaim, OnUpdate: (_, c) => EnqueueClaim(c), OnDelete: OnClaimDeleted));
    }

    public static string ClaimKey(string ns, string name) => $"{ClaimPrefix}{ns}/{name}";

    public static string VolumeKey(string name) => VolumePrefix + name;

    /// <summary>The name of the volume provisioned for a claim: pvc-&lt;claim UID&gt;, as upstream names it.</summary>
    public static string ProvisionedVolumeName(V1PersistentVolumeClaim claim) => "pvc-" + claim.Metadata.Uid;

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (key.StartsWith(VolumePrefix, StringComparison.Ordinal))
        {
            if (_volumes.Cache.Get(null, key[VolumePrefix.Length..]) is { } volume)
            {
                await SyncVolumeAsync(Clone(volume), cancellationToken).ConfigureAwait(false);
            }

            return SyncResult.Done;
        }

        var (ns, name) = ObjectKey.Split(key[ClaimPrefix.Length..]);
        if (_claims.Cache.Get(ns, name) is not { } claim)
        {
            return SyncResult.Done;
        }

        var bound = await SyncClaimAsync(Clone(claim), cancellationToken).ConfigureAwait(false);

        // upstream resyncs every claim each period; only a pending one has anything to gain from it.
        return bound ? SyncResult.Done : SyncResult.Requeue(ResyncPeriod);
    }

    /// <summary>syncClaim: answers whether the claim ended bound.</summary>
    private async Task<bool> SyncClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        PersistentVolumes.HasAnnotation(claim.Metadata, PersistentVolumes.AnnBindCompleted)
            ? await SyncBoundClaimAsync(claim, cancellationToken).ConfigureAwait(false)
            : await SyncUnboundClaimAsync(claim, cancellationToken).ConfigureAwait(false);

    private async Task<bool> SyncUnboundClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(claim.Spec.VolumeName))
        {
            var delayBinding = PersistentVolumes.IsDelayBindingMode(claim, ClassNamed);
            var volume = PersistentVolumes.FindMatchingVolume(claim, _volumes.Cache.List(), delayBinding);
            if (volume is not null)
            {
                await BindAsync(Clone(volume), claim, cancellationToken).ConfigureAwait(false);
                return true;
            }

            if (delayBinding && !PersistentVolumes.HasAnnotation(claim.Metadata, PersistentVolumes.AnnSelectedNode))
            {
                // upstream's events.WaitForFirstConsumer.
                _events.Event(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            }
            else if (PersistentVolumes.ClaimClass(claim) is { Length: > 0 })
            {
                claim = await ProvisionClaimAsync(claim, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _events.Event(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
            }

            await UpdateClaimStatusAsync(claim, "Pending", null, cancellationToken).ConfigureAwait(false);
            return false;
        }

        // The user asked for a volume by name.
        if (_volumes.Cache.Get(null, claim.Spec.VolumeName) is not { } named)
        {
            await UpdateClaimStatusAsync(claim, "Pending", null, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (named.Spec.ClaimRef is null)
        {
            if (PersistentVolumes.CheckVolumeSatisfyClaim(named, claim) is { } why)
            {
                _events.Event(claim, "Warning", "VolumeMismatch", $"Cannot bind to requested volume \"{named.Metadata.Name}\": {why}");
                await UpdateClaimStatusAsync(claim, "Pending", null, cancellationToken).ConfigureAwait(false);
                return false;
            }

            await BindAsync(Clone(named), claim, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (PersistentVolumes.IsVolumeBoundToClaim(named, claim))
        {
            await BindAsync(Clone(named), claim, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (PersistentVolumes.HasAnnotation(claim.Metadata, PersistentVolumes.AnnBoundByController))
        {
            // The controller chose this volume and someone else took it: upstream stops with an error, to retry.
            throw new InvalidOperationException($"invalid binding of claim \"{claim.Metadata.NamespaceProperty}/{claim.Metadata.Name}\" to volume \"{named.Metadata.Name}\": volume already claimed by \"{named.Spec.ClaimRef.NamespaceProperty}/{named.Spec.ClaimRef.Name}\"");
        }

        _events.Event(claim, "Warning", "FailedBinding", "volume \"" + named.Metadata.Name + "\" already bound to a different claim.");
        await UpdateClaimStatusAsync(claim, "Pending", null, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private async Task<bool> SyncBoundClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(claim.Spec.VolumeName))
        {
            await UpdateClaimStatusWithEventAsync(claim, "Lost", "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (_volumes.Cache.Get(null, claim.Spec.VolumeName) is not { } volume)
        {
            await UpdateClaimStatusWithEventAsync(claim, "Lost", "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (volume.Spec.ClaimRef is null || PersistentVolumes.IsVolumeBoundToClaim(volume, claim))
        {
            // Finish (or confirm) the binding; every step is skipped when already done.
            await BindAsync(Clone(volume), claim, cancellationToken).ConfigureAwait(false);
            return true;
        }

        await UpdateClaimStatusWithEventAsync(claim, "Lost", "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly", cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task SyncVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (volume.Spec.ClaimRef is null || string.IsNullOrEmpty(volume.Spec.ClaimRef.Uid))
        {
            // Unused, or pre-bound by a user to a claim that will pick it up in its own sync.
            await UpdateVolumePhaseAsync(volume, "Available", null, cancellationToken).ConfigureAwait(false);
            if (volume.Spec.ClaimRef is { } reference)
            {
                Enqueue(ClaimKey(reference.NamespaceProperty, reference.Name));
            }

            return;
        }

        var reference2 = volume.Spec.ClaimRef;
        var claim = _claims.Cache.Get(reference2.NamespaceProperty, reference2.Name);
        if (claim is null)
        {
            // upstream asks the API server before believing the cache: a claim created a moment ago may not be there yet.
            claim = await GetClaimAsync(reference2.NamespaceProperty, reference2.Name, cancellationToken).ConfigureAwait(false);
        }

        if (claim is not null && claim.Metadata.Uid != reference2.Uid)
        {
            // The claim was deleted and another of the same name created: this volume's claim is gone.
            claim = null;
        }

        if (claim is null)
        {
            if (volume.Status?.Phase is not ("Released" or "Failed"))
            {
                volume = await UpdateVolumePhaseAsync(volume, "Released", null, cancellationToken).ConfigureAwait(false);
            }

            await ReclaimVolumeAsync(volume, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(claim.Spec.VolumeName))
        {
            if (PersistentVolumes.VolumeModeMismatches(claim, volume))
            {
                _events.Event(volume, "Warning", "VolumeMismatch", $"Cannot bind PersistentVolume to requested PersistentVolumeClaim \"{claim.Metadata.Name}\" due to incompatible volumeMode.");
                await UpdateVolumePhaseAsync(volume, "Pending", null, cancellationToken).ConfigureAwait(false);
                return;
            }

            // Bound volume, pending claim: the claim's sync finishes the binding (the usual case of a provisioned volume).
            Enqueue(ClaimKey(claim.Metadata.NamespaceProperty, claim.Metadata.Name));
            return;
        }

        if (claim.Spec.VolumeName == volume.Metadata.Name)
        {
            await UpdateVolumePhaseAsync(volume, "Bound", null, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The claim is bound to another volume.
        if (PersistentVolumes.HasAnnotation(volume.Metadata, PersistentVolumes.AnnDynamicallyProvisioned) && volume.Spec.PersistentVolumeReclaimPolicy == "Delete")
        {
            // Provisioned for this claim, which went elsewhere: not needed.
            if (volume.Status?.Phase is not ("Released" or "Failed"))
            {
                volume = await UpdateVolumePhaseAsync(volume, "Released", null, cancellationToken).ConfigureAwait(false);
            }

            await ReclaimVolumeAsync(volume, cancellationToken).ConfigureAwait(false);
            return;
        }

        await UnbindVolumeAsync(volume, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// unbindVolume: a binding the controller made is undone entirely; one a user made keeps its claim's name and
    /// loses the UID, so the volume waits, pre-bound, for that claim again.
    /// </summary>
    private async Task UnbindVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (PersistentVolumes.HasAnnotation(volume.Metadata, PersistentVolumes.AnnBoundByController))
        {
            volume.Spec.ClaimRef = null;
            volume.Metadata.Annotations.Remove(PersistentVolumes.AnnBoundByController);
        }
        else
        {
            volume.Spec.ClaimRef.Uid = null;
        }

        var updated = await _client.CoreV1.ReplacePersistentVolumeAsync(volume, volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        await UpdateVolumePhaseAsync(updated, "Available", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>reclaimVolume: Retain keeps a Released volume as it is; Delete deletes it (and its storage); Recycle is gone.</summary>
    private async Task ReclaimVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (volume.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        switch (volume.Spec.PersistentVolumeReclaimPolicy)
        {
            case "Retain" or null:
                return;
            case "Delete":
                await DeleteVolumeAsync(volume, cancellationToken).ConfigureAwait(false);
                return;
            default:
                // Recycling has no plugin left (upstream's recycleVolumeOperation without a recycler).
                if (volume.Status?.Phase != "Failed")
                {
                    const string message = "No recycler plugin found for the volume!";
                    _events.Event(volume, "Warning", "VolumeFailedRecycle", message);
                    await UpdateVolumePhaseAsync(volume, "Failed", message, cancellationToken).ConfigureAwait(false);
                }

                return;
        }
    }

    /// <summary>deleteVolumeOperation: the provisioner that made the volume removes its storage, then the object goes.</summary>
    private async Task DeleteVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        var provisionedBy = PersistentVolumes.Annotation(volume.Metadata, PersistentVolumes.AnnDynamicallyProvisioned);
        if (provisionedBy is not null && !_provisioners.ContainsKey(provisionedBy))
        {
            // An external provisioner deletes its own volumes (upstream leaves them to it).
            return;
        }

        if (provisionedBy is null || _provisioners.GetValueOrDefault(provisionedBy) is not { } provisioner)
        {
            if (volume.Status?.Phase != "Failed")
            {
                // upstream's findDeletablePlugin failure, as doDeleteVolume words it.
                var message = $"error getting deleter volume plugin for volume \"{volume.Metadata.Name}\": no deletable volume plugin matched";
                _events.Event(volume, "Warning", "VolumeFailedDelete", message);
                await UpdateVolumePhaseAsync(volume, "Failed", message, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        try
        {
            await provisioner.DeleteAsync(volume, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _events.Event(volume, "Warning", "VolumeFailedDelete", ex.Message);
            if (volume.Status?.Phase != "Failed")
            {
                await UpdateVolumePhaseAsync(volume, "Failed", ex.Message, cancellationToken).ConfigureAwait(false);
            }

            throw;
        }

        try
        {
            await _client.CoreV1.DeletePersistentVolumeAsync(volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>
    /// provisionClaim: the claim is annotated with its class's provisioner; a provisioner of this process makes the
    /// volume (named pvc-&lt;claim UID&gt;, pre-bound to the claim) and the claim's next sync binds it; otherwise an
    /// external one is waited for.
    /// </summary>
    private async Task<V1PersistentVolumeClaim> ProvisionClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        var className = PersistentVolumes.ClaimClass(claim);
        if (ClassNamed(className) is not { } storageClass)
        {
            // The message of the API's NotFound, as upstream's lister error prints.
            _events.Event(claim, "Warning", "ProvisioningFailed", $"storageclass.storage.k8s.io \"{className}\" not found");
            return claim;
        }

        claim = await SetClaimProvisionerAsync(claim, storageClass.Provisioner, cancellationToken).ConfigureAwait(false);
        if (!_provisioners.TryGetValue(storageClass.Provisioner, out var provisioner))
        {
            ExternalProvisioningEvent(claim, storageClass);
            return claim;
        }

        var name = ProvisionedVolumeName(claim);
        if (_volumes.Cache.Get(null, name) is not null)
        {
            return claim;
        }

        // The provisioners here are named and heard of as external ones (K3s' local-path-provisioner is one): the
        // claim's events read as they do on a K3s cluster, once per volume made.
        ExternalProvisioningEvent(claim, storageClass);
        _events.Event(claim, "Normal", "Provisioning", $"External provisioner is provisioning volume for claim \"{claim.Metadata.NamespaceProperty}/{claim.Metadata.Name}\"");

        V1PersistentVolumeSpec spec;
        var selectedNode = PersistentVolumes.Annotation(claim.Metadata, PersistentVolumes.AnnSelectedNode);
        try
        {
            spec = await provisioner.ProvisionAsync(claim, storageClass, selectedNode, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _events.Event(claim, "Warning", "ProvisioningFailed", $"Failed to provision volume with StorageClass \"{className}\": {ex.Message}");
            throw;
        }

        spec.ClaimRef = PersistentVolumes.ClaimReference(claim);
        spec.StorageClassName = className;
        spec.PersistentVolumeReclaimPolicy = storageClass.ReclaimPolicy ?? "Delete";
        spec.MountOptions ??= storageClass.MountOptions;
        spec.VolumeMode ??= claim.Spec.VolumeMode;
        spec.AccessModes ??= claim.Spec.AccessModes;
        var volume = new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string>
                {
                    [PersistentVolumes.AnnBoundByController] = "yes",
                    [PersistentVolumes.AnnDynamicallyProvisioned] = storageClass.Provisioner,
                },
            },
            Spec = spec,
        };
        try
        {
            await _client.CoreV1.CreatePersistentVolumeAsync(volume, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Made by an earlier attempt whose answer was lost.
            return claim;
        }

        _events.Event(claim, "Normal", "ProvisioningSucceeded", $"Successfully provisioned volume {name}");
        return claim;
    }

    private void ExternalProvisioningEvent(V1PersistentVolumeClaim claim, V1StorageClass storageClass) =>
        _events.Event(claim, "Normal", "ExternalProvisioning", $"Waiting for a volume to be created either by the external provisioner '{storageClass.Provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");

    // setClaimProvisioner: both annotations, as upstream keeps the beta one for older external provisioners.
    private async Task<V1PersistentVolumeClaim> SetClaimProvisionerAsync(V1PersistentVolumeClaim claim, string provisioner, CancellationToken cancellationToken)
    {
        var annotations = claim.Metadata.Annotations ??= new Dictionary<string, string>();
        if (PersistentVolumes.Annotation(claim.Metadata, PersistentVolumes.AnnStorageProvisioner) == provisioner
            && PersistentVolumes.Annotation(claim.Metadata, PersistentVolumes.AnnBetaStorageProvisioner) == provisioner)
        {
            return claim;
        }

        annotations[PersistentVolumes.AnnStorageProvisioner] = provisioner;
        annotations[PersistentVolumes.AnnBetaStorageProvisioner] = provisioner;
        return await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(claim, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>bind: volume's claimRef, volume Bound, claim's volumeName and annotations, claim Bound; each step only if needed.</summary>
    private async Task BindAsync(V1PersistentVolume volume, V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        // bindVolumeToClaim.
        if (!PersistentVolumes.IsVolumeBoundToClaim(volume, claim) || volume.Spec.ClaimRef.Uid != claim.Metadata.Uid)
        {
            if (!PersistentVolumes.IsVolumeBoundToClaim(volume, claim))
            {
                (volume.Metadata.Annotations ??= new Dictionary<string, string>())[PersistentVolumes.AnnBoundByController] = "yes";
            }

            volume.Spec.ClaimRef = PersistentVolumes.ClaimReference(claim);
            volume = await _client.CoreV1.ReplacePersistentVolumeAsync(volume, volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        volume = await UpdateVolumePhaseAsync(volume, "Bound", null, cancellationToken).ConfigureAwait(false);

        // bindClaimToVolume.
        var annotations = claim.Metadata.Annotations ??= new Dictionary<string, string>();
        if (claim.Spec.VolumeName != volume.Metadata.Name || !annotations.ContainsKey(PersistentVolumes.AnnBindCompleted))
        {
            if (claim.Spec.VolumeName != volume.Metadata.Name)
            {
                claim.Spec.VolumeName = volume.Metadata.Name;
                annotations[PersistentVolumes.AnnBoundByController] = "yes";
            }

            annotations[PersistentVolumes.AnnBindCompleted] = "yes";
            claim = await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(claim, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await UpdateClaimStatusAsync(claim, "Bound", volume, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>updateClaimStatus: the phase, the volume's access modes, and its capacity when the claim becomes bound.</summary>
    private async Task<V1PersistentVolumeClaim> UpdateClaimStatusAsync(V1PersistentVolumeClaim claim, string phase, V1PersistentVolume? volume, CancellationToken cancellationToken)
    {
        var status = claim.Status ??= new V1PersistentVolumeClaimStatus();
        var changed = status.Phase != phase;
        if (volume is not null)
        {
            if (!SameModes(status.AccessModes, volume.Spec.AccessModes))
            {
                status.AccessModes = volume.Spec.AccessModes;
                changed = true;
            }

            // Only a claim becoming Bound takes the volume's capacity: a bound claim's smaller capacity is a file
            // system resize the node has yet to finish. A volume being resized reports the size before.
            if (status.Phase != phase)
            {
                status.Capacity = PersistentVolumes.Annotation(volume.Metadata, PersistentVolumes.AnnPreResizeCapacity) is { } before
                    ? new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity(before) }
                    : volume.Spec.Capacity;
            }
        }

        status.Phase = phase;

        return changed
            ? await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(claim, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false)
            : claim;
    }

    private async Task UpdateClaimStatusWithEventAsync(V1PersistentVolumeClaim claim, string phase, string reason, string message, CancellationToken cancellationToken)
    {
        if (claim.Status?.Phase == phase)
        {
            return;
        }

        await UpdateClaimStatusAsync(claim, phase, null, cancellationToken).ConfigureAwait(false);
        _events.Event(claim, "Warning", reason, message);
    }

    /// <summary>updateVolumePhase: phase, message, and lastPhaseTransitionTime when the phase changes (GA in 1.31).</summary>
    private async Task<V1PersistentVolume> UpdateVolumePhaseAsync(V1PersistentVolume volume, string phase, string? message, CancellationToken cancellationToken)
    {
        var status = volume.Status ??= new V1PersistentVolumeStatus();
        if (status.Phase == phase && (message is null || status.Message == message))
        {
            return volume;
        }

        if (status.Phase != phase)
        {
            status.LastPhaseTransitionTime = Time.GetUtcNow().UtcDateTime;
        }

        status.Phase = phase;
        status.Message = message;
        return await _client.CoreV1.ReplacePersistentVolumeStatusAsync(volume, volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<V1PersistentVolumeClaim?> GetClaimAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private V1StorageClass? ClassNamed(string name) => _classes.Cache.Get(null, name);

    private static bool SameModes(IList<string>? a, IList<string>? b) => (a ?? []).SequenceEqual(b ?? []);

    private static T Clone<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    private void EnqueueClaim(V1PersistentVolumeClaim claim) => Enqueue(ClaimKey(claim.Metadata.NamespaceProperty, claim.Metadata.Name));

    private void EnqueueVolume(V1PersistentVolume volume)
    {
        Enqueue(VolumeKey(volume.Metadata.Name));

        // A volume that just became Available may be what pending claims wait for (upstream finds it at the next
        // periodic resync; looking now binds in moments rather than seconds).
        if (volume.Status?.Phase == "Available" && volume.Spec?.ClaimRef is null)
        {
            foreach (var claim in _claims.Cache.List())
            {
                if (string.IsNullOrEmpty(claim.Spec?.VolumeName) && claim.Status?.Phase is null or "Pending")
                {
                    EnqueueClaim(claim);
                }
            }
        }
    }

    // A deleted volume leaves its claim Lost; a deleted claim releases its volume.
    private void OnVolumeDeleted(V1PersistentVolume volume)
    {
        if (volume.Spec?.ClaimRef is { } reference)
        {
            Enqueue(ClaimKey(reference.NamespaceProperty, reference.Name));
        }
    }

    private void OnClaimDeleted(V1PersistentVolumeClaim claim)
    {
        if (!string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            Enqueue(VolumeKey(claim.Spec.VolumeName));
        }
    }
}
