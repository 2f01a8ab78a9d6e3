using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Agent.Kubelet;

/// <summary><see cref="IPodObjects"/> read from the API server with the node's credentials.</summary>
public sealed class KubernetesPodObjects : IPodObjects
{
    private readonly IKubernetes _client;

    public KubernetesPodObjects(IKubernetes client) => _client = client;

    public Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNullAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1Secret?> GetSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNullAsync(() => _client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken));

    public async Task<IReadOnlyList<V1Service>> ListServicesAsync(string ns, CancellationToken cancellationToken) =>
        (await _client.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: cancellationToken)).Items.ToList();

    public Task<V1PersistentVolumeClaim?> GetPersistentVolumeClaimAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNullAsync(() => _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: cancellationToken));

    public Task UpdatePersistentVolumeClaimStatusAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(claim, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public Task<V1PersistentVolume?> GetPersistentVolumeAsync(string name, CancellationToken cancellationToken) =>
        OrNullAsync(() => _client.CoreV1.ReadPersistentVolumeAsync(name, cancellationToken: cancellationToken));

    public Task<Authenticationv1TokenRequest> CreateTokenAsync(string ns, string serviceAccount, Authenticationv1TokenRequest request, CancellationToken cancellationToken) =>
        _client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, serviceAccount, ns, cancellationToken: cancellationToken);

    private static async Task<T?> OrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
