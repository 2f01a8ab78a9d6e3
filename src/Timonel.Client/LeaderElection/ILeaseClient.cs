using k8s.Models;

namespace Timonel.Client.LeaderElection;

/// <summary>The API calls a <see cref="LeaseLock"/> makes: one Lease read, watched and written with optimistic concurrency.</summary>
public interface ILeaseClient
{
    /// <summary>The Lease, or null when there is none (404).</summary>
    Task<V1Lease?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Creates the Lease and returns it as stored; throws when it exists (409) or the call fails.</summary>
    Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken);

    /// <summary>Replaces the Lease (PUT) guarded by its metadata.resourceVersion; throws on a conflict (409).</summary>
    Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Watches the one Lease (fieldSelector metadata.name=<paramref name="name"/>): the Lease as it is when the watch
    /// starts, then as each write leaves it. Ends when the watch does; throws when it cannot be opened.
    /// </summary>
    IAsyncEnumerable<V1Lease> WatchAsync(string ns, string name, CancellationToken cancellationToken);
}
