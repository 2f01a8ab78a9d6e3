using k8s.Models;

namespace Timonel.Agent.Kubelet;

/// <summary>
/// The API objects a kubelet reads on behalf of its pods (env sources, volume contents, service links, service-account
/// tokens). The Node authorizer lets a node read only what its own pods refer to. Missing objects answer null.
/// </summary>
public interface IPodObjects
{
    Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1Secret?> GetSecretAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>The Services of a namespace (for the service-link environment variables).</summary>
    Task<IReadOnlyList<V1Service>> ListServicesAsync(string ns, CancellationToken cancellationToken);

    /// <summary>A claim a pod's persistentVolumeClaim volume names (to find its bound volume).</summary>
    Task<V1PersistentVolumeClaim?> GetPersistentVolumeClaimAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Writes a claim's status (the kubelet reports the capacity a volume expansion reached).</summary>
    Task UpdatePersistentVolumeClaimStatusAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken);

    /// <summary>The volume a claim is bound to.</summary>
    Task<V1PersistentVolume?> GetPersistentVolumeAsync(string name, CancellationToken cancellationToken);

    /// <summary>A token for a service account through its token subresource, bound to the pod.</summary>
    Task<Authenticationv1TokenRequest> CreateTokenAsync(string ns, string serviceAccount, Authenticationv1TokenRequest request, CancellationToken cancellationToken);
}
