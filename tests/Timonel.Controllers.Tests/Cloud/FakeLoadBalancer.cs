using k8s.Models;
using Timonel.Client.Informers;
using Timonel.Controllers.Cloud;

namespace Timonel.Controllers.Tests.Cloud;

/// <summary>
/// A cloud's balancers in memory: each ensured Service gets the address <see cref="Address"/> names; every call is
/// recorded as "Ensure ns/name node-a,node-b", "Update ...", "Delete ns/name"; <see cref="Failure"/> makes Ensure fail.
/// </summary>
internal sealed class FakeLoadBalancer : ILoadBalancer
{
    private readonly Dictionary<string, V1LoadBalancerStatus> _balancers = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    public string? Failure { get; set; }

    public Func<V1Service, IReadOnlyList<V1Node>, string> Address { get; set; } = (_, _) => "192.0.2.10";

    public void Has(V1Service service, string address) => _balancers[ObjectKey.Of(service)] = Status(address);

    public Task<V1LoadBalancerStatus?> GetLoadBalancerAsync(string clusterName, V1Service service, CancellationToken cancellationToken) =>
        Task.FromResult(_balancers.GetValueOrDefault(ObjectKey.Of(service)));

    public Task<V1LoadBalancerStatus> EnsureLoadBalancerAsync(string clusterName, V1Service service, IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken)
    {
        Calls.Add($"Ensure {ObjectKey.Of(service)} {string.Join(',', nodes.Select(n => n.Metadata.Name))}");
        if (Failure is { } failure)
        {
            throw new InvalidOperationException(failure);
        }

        var status = _balancers[ObjectKey.Of(service)] = Status(Address(service, nodes));
        return Task.FromResult(status);
    }

    public Task UpdateLoadBalancerAsync(string clusterName, V1Service service, IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken)
    {
        Calls.Add($"Update {ObjectKey.Of(service)} {string.Join(',', nodes.Select(n => n.Metadata.Name))}");
        _balancers[ObjectKey.Of(service)] = Status(Address(service, nodes));
        return Task.CompletedTask;
    }

    public Task EnsureLoadBalancerDeletedAsync(string clusterName, V1Service service, CancellationToken cancellationToken)
    {
        Calls.Add($"Delete {ObjectKey.Of(service)}");
        _balancers.Remove(ObjectKey.Of(service));
        return Task.CompletedTask;
    }

    private static V1LoadBalancerStatus Status(string address) => new() { Ingress = [new V1LoadBalancerIngress { Ip = address, IpMode = "VIP" }] };
}
