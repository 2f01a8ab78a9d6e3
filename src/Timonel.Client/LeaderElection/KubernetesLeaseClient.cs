using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Client.LeaderElection;

/// <summary>Leases over the API server's REST API.</summary>
public sealed class KubernetesLeaseClient : ILeaseClient
{
    /// <summary>client-go's reflector default (minWatchTimeout).</summary>
    private static readonly TimeSpan _minWatchTimeout = TimeSpan.FromMinutes(5);
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

    public async IAsyncEnumerable<V1Lease> WatchAsync(string ns, string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Without a resourceVersion the watch starts with the Lease as stored (an ADDED event). It asks the server to
        // end it after 5-10 minutes, as client-go's reflector does, so a silently dead connection does not last.
        var timeoutSeconds = (int)_minWatchTimeout.TotalSeconds + Random.Shared.Next((int)_minWatchTimeout.TotalSeconds);
        var events = _client.CoordinationV1.WatchListNamespacedLeaseAsync(
            ns, fieldSelector: $"metadata.name={name}", timeoutSeconds: timeoutSeconds, cancellationToken: cancellationToken);
        await foreach (var (type, lease) in events.ConfigureAwait(false))
        {
            if (type is WatchEventType.Added or WatchEventType.Modified)
            {
                yield return lease;
            }
        }
    }
}
