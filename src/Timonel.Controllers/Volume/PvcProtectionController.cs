using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;
using Timonel.Client.Volumes;

namespace Timonel.Controllers.Volume;

/// <summary>
/// Keeps <c>kubernetes.io/pvc-protection</c> on claims and removes it from a claim being deleted once no scheduled,
/// unfinished pod uses it (pkg/controller/volume/pvcprotection). Keys are namespace/name of claims; pod changes
/// queue the claims they name.
/// </summary>
public sealed class PvcProtectionController : ControllerBase
{
    private readonly IKubernetes _client;
    private readonly SharedInformer<V1PersistentVolumeClaim> _claims;
    private readonly SharedInformer<V1Pod> _pods;

    public PvcProtectionController(IKubernetes client, SharedInformer<V1PersistentVolumeClaim> claims, SharedInformer<V1Pod> pods, TimeProvider time, ILogger<PvcProtectionController> logger)
        : base(logger, time, [claims, pods])
    {
        _client = client;
        _claims = claims;
        _pods = pods;
        claims.AddHandlers(new(OnAdd: c => Enqueue(ObjectKey.Of(c)), OnUpdate: (_, c) => Enqueue(ObjectKey.Of(c))));
        pods.AddHandlers(new(OnUpdate: (_, p) => EnqueueClaimsOf(p), OnDelete: EnqueueClaimsOf));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_claims.Cache.Get(ns, name) is not { } claim)
        {
            return SyncResult.Done;
        }

        var deleting = claim.Metadata.DeletionTimestamp is not null;
        var keep = !deleting || InUse(claim);
        if ((deleting && keep) || Finalizers.With(claim.Metadata.Finalizers, Finalizers.PvcProtection, keep) is not { } finalizers)
        {
            return SyncResult.Done;
        }

        var patch = new V1Patch(new { metadata = new { finalizers, resourceVersion = claim.Metadata.ResourceVersion } }, V1Patch.PatchType.MergePatch);
        await _client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        return SyncResult.Done;
    }

    // podUsesPVC: only scheduled pods count (the kubelet refuses to start one whose claim is being deleted), and
    // not those that have finished.
    private bool InUse(V1PersistentVolumeClaim claim) =>
        _pods.Cache.List(claim.Metadata.NamespaceProperty).Any(pod =>
            !string.IsNullOrEmpty(pod.Spec?.NodeName) && pod.Status?.Phase is not ("Succeeded" or "Failed")
            && PersistentVolumes.PodClaimNames(pod).Contains(claim.Metadata.Name));

    private void EnqueueClaimsOf(V1Pod pod)
    {
        foreach (var claim in PersistentVolumes.PodClaimNames(pod))
        {
            Enqueue(ObjectKey.For(pod.Metadata.NamespaceProperty, claim));
        }
    }
}
