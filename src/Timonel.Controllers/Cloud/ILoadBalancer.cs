using k8s.Models;

namespace Timonel.Controllers.Cloud;

/// <summary>
/// A cloud's load balancers (cloudprovider.LoadBalancer). Every method may be called again for the same Service
/// (after a restart, a retry, a node change) and must then do nothing new: the cloud's state, not the caller, says
/// what exists. <paramref name="clusterName"/> (--cluster-name) keeps the balancers of two clusters in one cloud apart.
/// </summary>
public interface ILoadBalancer
{
    /// <summary>The status of the Service's balancer, or null when the cloud has none for it.</summary>
    Task<V1LoadBalancerStatus?> GetLoadBalancerAsync(string clusterName, V1Service service, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the Service's balancer, or brings an existing one in line with the Service's ports and
    /// <paramref name="nodes"/>, and answers the addresses it has (status.loadBalancer). Throws when it cannot; the
    /// Service then gets a SyncLoadBalancerFailed event and is tried again with backoff.
    /// </summary>
    Task<V1LoadBalancerStatus> EnsureLoadBalancerAsync(string clusterName, V1Service service, IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken);

    /// <summary>Points the Service's existing balancer at <paramref name="nodes"/> (the node set changed).</summary>
    Task UpdateLoadBalancerAsync(string clusterName, V1Service service, IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken);

    /// <summary>Deletes the Service's balancer; succeeds when there is none. Its addresses are free once this returns.</summary>
    Task EnsureLoadBalancerDeletedAsync(string clusterName, V1Service service, CancellationToken cancellationToken);

    /// <summary>
    /// The name the cloud gives the Service's balancer (upstream's GetLoadBalancerName and its default,
    /// cloudprovider.DefaultLoadBalancerName: "a" and the Service's UID without dashes, at most 32 characters).
    /// </summary>
    string GetLoadBalancerName(string clusterName, V1Service service)
    {
        var name = "a" + (service.Metadata?.Uid ?? "").Replace("-", "", StringComparison.Ordinal);
        return name.Length > 32 ? name[..32] : name;
    }
}
