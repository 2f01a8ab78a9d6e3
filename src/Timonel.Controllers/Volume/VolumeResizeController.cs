using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Volumes;

namespace Timonel.Controllers.Volume;

/// <summary>
/// Expands the volumes the provisioners running here made, as the CSI external-resizer does for its driver with
/// RecoverVolumeExpansionFailure on (beta, so on, in 1.32): a bound claim asking for more than its volume holds is
/// marked Resizing with the size in <c>status.allocatedResources</c> and ControllerResizeInProgress in
/// <c>allocatedResourceStatuses</c>, gets the volume's capacity raised (the claim's capacity until then kept in
/// <c>volume.alpha.kubernetes.io/pre-resize-capacity</c>), then FileSystemResizePending and NodeResizePending, which
/// the kubelet clears once the volume, mounted on its node, has grown (a local directory has nothing to grow). When
/// the claim reports the new capacity, the annotation goes. Shrinking and classes without allowVolumeExpansion are
/// refused before this, by validation and the PersistentVolumeClaimResize admission plugin. Keys are namespace/name
/// of claims.
/// </summary>
public sealed class VolumeResizeController : ControllerBase
{
    /// <summary>The component events are reported by (the external-resizer's).</summary>
    public const string Component = "external-resizer";

    public const string FileSystemResizePending = "FileSystemResizePending";

    public const string Resizing = "Resizing";

    /// <summary>The storage's allocatedResourceStatus while the volume itself grows (RecoverVolumeExpansionFailure, beta in 1.32).</summary>
    public const string ControllerResizeInProgress = "ControllerResizeInProgress";

    /// <summary>The storage's allocatedResourceStatus until the node has grown the file system.</summary>
    public const string NodeResizePending = "NodeResizePending";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1PersistentVolumeClaim> _claims;
    private readonly SharedInformer<V1PersistentVolume> _volumes;
    private readonly IReadOnlyDictionary<string, IVolumeProvisioner> _provisioners;
    private readonly IEventRecorder _events;

    public VolumeResizeController(
        IKubernetes client,
        SharedInformer<V1PersistentVolumeClaim> claims,
        SharedInformer<V1PersistentVolume> volumes,
        IReadOnlyDictionary<string, IVolumeProvisioner> provisioners,
        IEventRecorder events,
        TimeProvider time,
        ILogger<VolumeResizeController> logger)
        : base(logger, time, [claims, volumes])
    {
        _client = client;
        _claims = claims;
        _volumes = volumes;
        _provisioners = provisioners;
        _events = events;
        claims.AddHandlers(new(OnAdd: c => Enqueue(ObjectKey.Of(c)), OnUpdate: (_, c) => Enqueue(ObjectKey.Of(c))));
        volumes.AddHandlers(new(OnUpdate: (_, v) => EnqueueClaimOf(v)));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_claims.Cache.Get(ns, name) is not { Status.Phase: "Bound" } claim
            || string.IsNullOrEmpty(claim.Spec?.VolumeName)
            || _volumes.Cache.Get(null, claim.Spec.VolumeName) is not { } volume
            || volume.Spec?.ClaimRef?.Uid != claim.Metadata.Uid
            || PersistentVolumes.Annotation(volume.Metadata, PersistentVolumes.AnnDynamicallyProvisioned) is not { } provisioner
            || !_provisioners.ContainsKey(provisioner))
        {
            return SyncResult.Done;
        }

        var requested = PersistentVolumes.Storage(claim.Spec.Resources?.Requests);
        var size = PersistentVolumes.Storage(volume.Spec.Capacity);
        var reported = PersistentVolumes.Storage(claim.Status.Capacity);
        if (requested > size)
        {
            await ExpandAsync(claim, volume, cancellationToken).ConfigureAwait(false);
        }
        else if (reported < size && !HasCondition(claim, FileSystemResizePending))
        {
            // The volume grew but the claim was not told (a sync stopped in between).
            await MarkFileSystemResizePendingAsync(claim, cancellationToken).ConfigureAwait(false);
        }
        else if (reported >= size && PersistentVolumes.HasAnnotation(volume.Metadata, PersistentVolumes.AnnPreResizeCapacity))
        {
            var patch = new V1Patch(new { metadata = new { annotations = new Dictionary<string, string?> { [PersistentVolumes.AnnPreResizeCapacity] = null } } }, V1Patch.PatchType.MergePatch);
            await _client.CoreV1.PatchPersistentVolumeAsync(patch, volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return SyncResult.Done;
    }

    public static bool HasCondition(V1PersistentVolumeClaim claim, string type) => claim.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    private async Task ExpandAsync(V1PersistentVolumeClaim claim, V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        var size = claim.Spec.Resources.Requests["storage"];
        var resourceVersion = await PatchClaimStatusAsync(claim, claim.Metadata.ResourceVersion, Resizing, ControllerResizeInProgress, size, cancellationToken).ConfigureAwait(false);
        _events.Event(claim, "Normal", "Resizing", $"External resizer is resizing volume {volume.Metadata.Name}");
        var before = claim.Status.Capacity?.TryGetValue("storage", out var capacity) == true ? capacity.ToString() : "0";
        var patch = new V1Patch(
            new
            {
                metadata = new
                {
                    resourceVersion = volume.Metadata.ResourceVersion,
                    annotations = new Dictionary<string, string> { [PersistentVolumes.AnnPreResizeCapacity] = before },
                },
                spec = new { capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = size } },
            },
            V1Patch.PatchType.MergePatch);
        await _client.CoreV1.PatchPersistentVolumeAsync(patch, volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        await PatchClaimStatusAsync(claim, resourceVersion, FileSystemResizePending, NodeResizePending, null, cancellationToken).ConfigureAwait(false);
        _events.Event(claim, "Normal", "FileSystemResizeRequired", "Require file system resize of volume on node");
    }

    // markForPendingNodeExpansion: the node's turn.
    private Task MarkFileSystemResizePendingAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        PatchClaimStatusAsync(claim, claim.Metadata.ResourceVersion, FileSystemResizePending, NodeResizePending, null, cancellationToken);

    /// <summary>
    /// The claim's status with <paramref name="condition"/> as its only resize condition (the others kept, as
    /// MergeResizeConditionsOfPVC does), <paramref name="resizeStatus"/> as the storage's allocatedResourceStatus,
    /// and <paramref name="allocated"/> as its allocatedResources when given; guarded by <paramref name="resourceVersion"/>.
    /// Answers the claim's new resourceVersion.
    /// </summary>
    private async Task<string> PatchClaimStatusAsync(V1PersistentVolumeClaim claim, string resourceVersion, string condition, string resizeStatus, ResourceQuantity? allocated, CancellationToken cancellationToken)
    {
        var conditions = (claim.Status.Conditions ?? []).Where(c => c.Type is not (FileSystemResizePending or Resizing)).Append(new V1PersistentVolumeClaimCondition
        {
            Type = condition,
            Status = "True",
            LastTransitionTime = Time.GetUtcNow().UtcDateTime,
            Message = condition == FileSystemResizePending ? "Waiting for user to (re-)start a pod to finish file system resize of volume on node." : null,
        }).ToList();
        var status = new Dictionary<string, object>
        {
            ["conditions"] = conditions,
            ["allocatedResourceStatuses"] = new Dictionary<string, string> { ["storage"] = resizeStatus },
        };
        if (allocated is not null)
        {
            status["allocatedResources"] = new Dictionary<string, ResourceQuantity> { ["storage"] = allocated };
        }

        var patch = new V1Patch(new { metadata = new { resourceVersion }, status }, V1Patch.PatchType.MergePatch);
        var updated = await _client.CoreV1.PatchNamespacedPersistentVolumeClaimStatusAsync(patch, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        return updated.Metadata.ResourceVersion;
    }

    private void EnqueueClaimOf(V1PersistentVolume volume)
    {
        if (volume.Spec?.ClaimRef is { } claimRef)
        {
            Enqueue(ObjectKey.For(claimRef.NamespaceProperty, claimRef.Name));
        }
    }
}
