using k8s;
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

    public Task<V1PersistentVolume> UpdatePersistentVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken) =>
        _client.CoreV1.ReplacePersistentVolumeAsync(volume, volume.Metadata.Name, cancellationToken: cancellationToken);

    public Task<V1PersistentVolumeClaim> UpdatePersistentVolumeClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(claim, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
}
