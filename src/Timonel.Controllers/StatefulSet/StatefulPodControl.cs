using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Timonel.Client;
using Timonel.Client.Events;
using Timonel.Client.Informers;

namespace Timonel.Controllers.StatefulSet;

/// <summary>
/// Creates, updates and deletes a StatefulSet's pods and claims, recording upstream's events about the set
/// (pkg/controller/statefulset/stateful_pod_control.go): claims first, then the pod; a pod's identity and storage
/// repaired in place; claims' owner references kept to the retention policy. Claims are read from the informer.
/// </summary>
internal sealed class StatefulPodControl
{
    private readonly IKubernetes _client;
    private readonly InformerCache<V1PersistentVolumeClaim> _claims;
    private readonly IEventRecorder _events;

    public StatefulPodControl(IKubernetes client, InformerCache<V1PersistentVolumeClaim> claims, IEventRecorder events)
    {
        _client = client;
        _claims = claims;
        _events = events;
    }

    /// <summary>CreateStatefulPod: the claims, then the pod, then the claims' owner references for the policy.</summary>
    public async Task CreatePodAsync(V1StatefulSet set, V1OwnerReference setReference, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await CreateClaimsAsync(set, pod, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            RecordPodEvent("create", set, pod, ex);
            throw;
        }

        V1Pod created;
        try
        {
            created = await _client.CoreV1.CreateNamespacedPodAsync(pod, set.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there (a cache behind its own creation): upstream sinks this without an event.
            throw;
        }
        catch (HttpOperationException ex)
        {
            RecordPodEvent("create", set, pod, ex);
            throw;
        }

        try
        {
            await UpdateClaimsForRetentionAsync(set, setReference, created, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            RecordPodEvent("update", set, pod, ex);
            throw;
        }

        RecordPodEvent("create", set, pod, null);
    }

    /// <summary>createMissingPersistentVolumeClaims: for a Pending pod whose claims were deleted.</summary>
    public async Task CreateMissingClaimsAsync(V1StatefulSet set, V1OwnerReference setReference, V1Pod pod, CancellationToken cancellationToken)
    {
        await CreateClaimsAsync(set, pod, cancellationToken).ConfigureAwait(false);
        try
        {
            await UpdateClaimsForRetentionAsync(set, setReference, pod, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            RecordPodEvent("update", set, pod, ex);
            throw;
        }
    }

    /// <summary>
    /// UpdateStatefulPod: repairs the pod's identity (pod-name and pod-index labels) and storage (volumes for every claim
    /// template, claims created), and its claims' owner references; writes the pod only if something changed.
    /// </summary>
    public async Task UpdatePodAsync(V1StatefulSet set, V1OwnerReference setReference, V1Pod cached, CancellationToken cancellationToken)
    {
        var pod = Clone(cached);
        var attempted = false;
        HttpOperationException? failure = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var consistent = true;
            if (!StatefulPods.IdentityMatches(set, pod))
            {
                StatefulPods.UpdateIdentity(set, pod);
                consistent = false;
            }

            try
            {
                if (!StatefulPods.StorageMatches(set, pod))
                {
                    StatefulPods.UpdateStorage(set, pod);
                    consistent = false;
                    await CreateClaimsAsync(set, pod, cancellationToken).ConfigureAwait(false);
                }

                if (!ClaimsMatchRetentionPolicy(set, pod))
                {
                    await UpdateClaimsForRetentionAsync(set, setReference, pod, cancellationToken).ConfigureAwait(false);
                    consistent = false;
                }
            }
            catch (HttpOperationException ex)
            {
                RecordPodEvent("update", set, pod, ex);
                throw;
            }

            if (consistent)
            {
                break;
            }

            attempted = true;
            try
            {
                await _client.CoreV1.ReplaceNamespacedPodAsync(pod, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                failure = null;
                break;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                failure = ex;
                pod = await _client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex)
            {
                failure = ex;
                break;
            }
        }

        if (attempted)
        {
            RecordPodEvent("update", set, pod, failure);
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>DeleteStatefulPod: the pod only, its claims stay (unless their owner references say otherwise).</summary>
    public async Task DeletePodAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            RecordPodEvent("delete", set, pod, ex);
            throw;
        }

        RecordPodEvent("delete", set, pod, null);
    }

    /// <summary>ClaimsMatchRetentionPolicy: every existing claim of the pod has the owner references the policy asks for.</summary>
    public bool ClaimsMatchRetentionPolicy(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = StatefulPods.Ordinal(pod);
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            if (_claims.Get(set.Metadata.NamespaceProperty, StatefulPods.ClaimName(set, template, ordinal)) is { } claim
                && !ClaimRetention.IsUpToDate(claim, set, pod))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>UpdatePodClaimForRetentionPolicy: rewrites the owner references of the pod's claims that need it.</summary>
    public async Task UpdateClaimsForRetentionAsync(V1StatefulSet set, V1OwnerReference setReference, V1Pod pod, CancellationToken cancellationToken)
    {
        var ordinal = StatefulPods.Ordinal(pod);
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            var name = StatefulPods.ClaimName(set, template, ordinal);
            if (_claims.Get(set.Metadata.NamespaceProperty, name) is not { } cached || ClaimRetention.IsUpToDate(cached, set, pod))
            {
                // A claim missing from the cache is picked up on a later sync.
                continue;
            }

            var claim = KubernetesJson.Deserialize<V1PersistentVolumeClaim>(KubernetesJson.Serialize(cached));
            ClaimRetention.Update(claim, set, setReference, pod);
            await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(claim, name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// PodClaimIsStale: with whenScaled=Delete, a claim still owned by an earlier pod of this name (another UID, or a
    /// pod not created yet) is about to be collected; the pod waits for it to go rather than bind to it.
    /// </summary>
    public bool PodClaimIsStale(V1StatefulSet set, V1Pod pod)
    {
        if (ClaimRetention.Policy(set).WhenScaled == StatefulPods.Retain)
        {
            return false;
        }

        return StatefulPods.Claims(set, StatefulPods.Ordinal(pod)).Any(c =>
            _claims.Get(c.Claim.Metadata.NamespaceProperty, c.Claim.Metadata.Name) is { } claim
            && ClaimRetention.HasStaleReference(claim, "v1", "Pod", pod.Metadata));
    }

    // createPersistentVolumeClaims: every claim the cache lacks is created; one created meanwhile is no error.
    private async Task CreateClaimsAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        List<HttpOperationException> errors = [];
        foreach (var (_, claim) in StatefulPods.Claims(set, StatefulPods.Ordinal(pod)))
        {
            if (_claims.Get(claim.Metadata.NamespaceProperty, claim.Metadata.Name) is { } existing)
            {
                if (existing.Metadata.DeletionTimestamp is not null)
                {
                    // Upstream waits for the claim to go ("pvc x is to be deleted") rather than use it.
                    throw new InvalidOperationException($"pvc {claim.Metadata.Name} is to be deleted");
                }

                continue;
            }

            try
            {
                await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(claim, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                RecordClaimEvent(set, pod, claim, null);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
            }
            catch (HttpOperationException ex)
            {
                RecordClaimEvent(set, pod, claim, ex);
                errors.Add(ex);
            }
        }

        if (errors.Count > 0)
        {
            throw errors[0];
        }
    }

    // recordPodEvent: SuccessfulCreate "create Pod x in StatefulSet y successful", FailedCreate "... failed error: ...".
    private void RecordPodEvent(string verb, V1StatefulSet set, V1Pod pod, HttpOperationException? error)
    {
        var title = char.ToUpperInvariant(verb[0]) + verb[1..];
        if (error is null)
        {
            _events.Event(set, "Normal", "Successful" + title, $"{verb} Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful");
        }
        else
        {
            _events.Event(set, "Warning", "Failed" + title, $"{verb} Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {ApiErrors.Message(error)}");
        }
    }

    // recordClaimEvent, for "create" only: the only verb upstream records it with.
    private void RecordClaimEvent(V1StatefulSet set, V1Pod pod, V1PersistentVolumeClaim claim, HttpOperationException? error)
    {
        if (error is null)
        {
            _events.Event(set, "Normal", "SuccessfulCreate", $"create Claim {claim.Metadata.Name} Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} success");
        }
        else
        {
            _events.Event(set, "Warning", "FailedCreate", $"create Claim {claim.Metadata.Name} for Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {ApiErrors.Message(error)}");
        }
    }

    private static V1Pod Clone(V1Pod pod) => KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
}
