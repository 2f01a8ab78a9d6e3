using k8s.Models;
using Timonel.Client.Informers;
using Timonel.Controllers.Cloud.Service;

namespace Timonel.Controllers.Cloud.Local;

/// <summary>
/// The built-in balancer, K3s' ServiceLB without its pods: nothing sits in front of the nodes, the Service proxy on
/// every node already answers a Service's status.loadBalancer addresses at its ports. A Service's addresses are the
/// Ready nodes' ExternalIPs (InternalIPs for a node without one), as ServiceLB reports them, or, with a pool, one
/// address of the pool for the Service alone. The provider's "cloud state" is this table and the pool, restored from
/// the Services' statuses at start, so addresses survive restarts.
/// </summary>
public sealed class LocalLoadBalancer : ILoadBalancer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, V1LoadBalancerStatus> _balancers = new(StringComparer.Ordinal);
    private readonly AddressPool? _pool;

    public LocalLoadBalancer(AddressPool? pool) => _pool = pool;

    /// <summary>
    /// Takes back what the Services of the cluster show they were given: every Service this provider handles whose
    /// status has addresses has a balancer, and keeps its pool address (the first claim wins when two show one).
    /// </summary>
    public void Restore(IEnumerable<V1Service> services)
    {
        foreach (var service in services.Where(LoadBalancerServices.WantsLoadBalancer))
        {
            if (service.Status?.LoadBalancer?.Ingress is not { Count: > 0 } ingress)
            {
                continue;
            }

            var key = ObjectKey.Of(service);
            if (_pool is null)
            {
                Remember(key, Status(ingress.Select(i => i.Ip).OfType<string>()));
            }
            else if (ingress.Select(i => i.Ip).OfType<string>().FirstOrDefault(_pool.Contains) is { } address && _pool.TryTake(key, address))
            {
                Remember(key, Status([address]));
            }
        }
    }

    public Task<V1LoadBalancerStatus?> GetLoadBalancerAsync(string clusterName, V1Service service, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_balancers.GetValueOrDefault(ObjectKey.Of(service)));
        }
    }

    public Task<V1LoadBalancerStatus> EnsureLoadBalancerAsync(string clusterName, V1Service service, IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(service);
        var status = _pool is null ? Status(NodeAddresses(nodes)) : Status([PoolAddress(key, service)]);
        Remember(key, status);
        return Task.FromResult(status);
    }

    public Task UpdateLoadBalancerAsync(string clusterName, V1Service service, IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken)
    {
        // A pool address does not depend on the nodes: every node's proxy answers it.
        if (_pool is null)
        {
            Remember(ObjectKey.Of(service), Status(NodeAddresses(nodes)));
        }

        return Task.CompletedTask;
    }

    public Task EnsureLoadBalancerDeletedAsync(string clusterName, V1Service service, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(service);
        lock (_lock)
        {
            _balancers.Remove(key);
        }

        _pool?.Release(key);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The pool address the Service has; else the spec.loadBalancerIP it asks for when that is free in the pool (a
    /// refusal otherwise, as clouds refuse an address they cannot give); else the lowest free one.
    /// </summary>
    private string PoolAddress(string key, V1Service service)
    {
        var pool = _pool!;
        if (pool.AddressOf(key) is { } held && (service.Spec?.LoadBalancerIP is not { Length: > 0 } wanted || wanted == held))
        {
            return held;
        }

        if (service.Spec?.LoadBalancerIP is { Length: > 0 } requested)
        {
            return pool.TryTake(key, requested)
                ? requested
                : throw new InvalidOperationException($"requested loadBalancerIP {requested} is not a free address of the pool {pool.Text}");
        }

        return pool.Allocate(key) ?? throw new InvalidOperationException($"no free address left in the pool {pool.Text}");
    }

    private void Remember(string key, V1LoadBalancerStatus status)
    {
        lock (_lock)
        {
            _balancers[key] = status;
        }
    }

    private static IEnumerable<string> NodeAddresses(IEnumerable<V1Node> nodes) =>
        nodes.Where(CloudNodes.IsReady).SelectMany(node =>
        {
            var addresses = node.Status?.Addresses ?? [];
            var external = addresses.Where(a => a.Type == "ExternalIP").ToList();
            return (external.Count > 0 ? external : addresses.Where(a => a.Type == "InternalIP")).Select(a => a.Address);
        }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);


    // ipMode VIP: what the API server of 1.30+ defaults an IP's mode to, so the status written equals the one stored.
    private static V1LoadBalancerStatus Status(IEnumerable<string> addresses) =>
        new() { Ingress = [.. addresses.Select(address => new V1LoadBalancerIngress { Ip = address, IpMode = "VIP" })] };
}
