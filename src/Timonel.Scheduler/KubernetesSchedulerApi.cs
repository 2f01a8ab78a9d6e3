using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Scheduler;

/// <summary>The scheduler's writes through KubernetesClient.</summary>
public sealed class KubernetesSchedulerApi : ISchedulerApi
{
    private readonly IKubernetes _client;

    public KubernetesSchedulerApi(IKubernetes client)
    {
        _client = client;
    }

    public Task BindAsync(V1Binding binding, CancellationToken cancellationToken) =>
        _client.CoreV1.CreateNamespacedPodBindingAsync(binding, binding.Metadata.Name, binding.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public Task PatchPodStatusAsync(string ns, string name, string patchJson, CancellationToken cancellationToken) =>
        _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patchJson, V1Patch.PatchType.StrategicMergePatch), name, ns, cancellationToken: cancellationToken);

    public async Task<bool> DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task<V1PersistentVolume> UpdatePersistentVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken) =>
        _client.CoreV1.ReplacePersistentVolumeAsync(volume, volume.Metadata.Name, cancellationToken: cancellationToken);

    public Task<V1PersistentVolumeClaim> UpdatePersistentVolumeClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(claim, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
}
