using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Client.LeaderElection;

/// <summary>Leases and events over the API server's REST API.</summary>
public sealed class KubernetesLeaseClient : ILeaseClient
{
    private readonly IKubernetes _client;

    public KubernetesLeaseClient(IKubernetes client)
    {
        _client = client;
    }

    public async Task<V1Lease?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoordinationV1.ReadNamespacedLeaseAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken) =>
        _client.CoordinationV1.CreateNamespacedLeaseAsync(lease, lease.Namespace(), cancellationToken: cancellationToken);

    public Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken) =>
        _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, lease.Name(), lease.Namespace(), cancellationToken: cancellationToken);

    public Task CreateEventAsync(Corev1Event coreEvent, CancellationToken cancellationToken) =>
        _client.CoreV1.CreateNamespacedEventAsync(coreEvent, coreEvent.Namespace(), cancellationToken: cancellationToken);
}
