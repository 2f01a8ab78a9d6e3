using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Volume;

/// <summary>
/// Keeps <c>kubernetes.io/pv-protection</c> on volumes and removes it from a volume being deleted once it is no
/// longer Bound (pkg/controller/volume/pvprotection). Keys are volume names.
/// </summary>
public sealed class PvProtectionController : ControllerBase
{
    private readonly IKubernetes _client;
    private readonly SharedInformer<V1PersistentVolume> _volumes;

    public PvProtectionController(IKubernetes client, SharedInformer<V1PersistentVolume> volumes, TimeProvider time, ILogger<PvProtectionController> logger)
        : base(logger, time, [volumes])
    {
        _client = client;
        _volumes = volumes;
        volumes.AddHandlers(new(OnAdd: v => Enqueue(v.Metadata.Name), OnUpdate: (_, v) => Enqueue(v.Metadata.Name)));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (_volumes.Cache.Get(null, key) is not { } volume)
        {
            return SyncResult.Done;
        }

        // isVolumeInUse: upstream counts a Bound volume as used; its claim's own protection guards the pods.
        var deleting = volume.Metadata.DeletionTimestamp is not null;
        var keep = !deleting || volume.Status?.Phase == "Bound";
        if (Finalizers.With(volume.Metadata.Finalizers, Finalizers.PvProtection, keep) is not { } finalizers
            || (deleting && keep))
        {
            return SyncResult.Done;
        }

        var patch = new V1Patch(new { metadata = new { finalizers, resourceVersion = volume.Metadata.ResourceVersion } }, V1Patch.PatchType.MergePatch);
        await _client.CoreV1.PatchPersistentVolumeAsync(patch, volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return SyncResult.Done;
    }
}
