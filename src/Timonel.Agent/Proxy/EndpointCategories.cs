namespace Timonel.Agent.Proxy;

/// <summary>
/// The endpoints a Service port sends traffic to under each traffic policy (upstream's CategorizeEndpoints, without
/// topology hints): ready endpoints, or when none is ready the serving ones still terminating, so connections drain
/// to them rather than fail.
/// </summary>
public sealed record EndpointCategories(
    IReadOnlyList<ProxyEndpoint> Cluster,
    IReadOnlyList<ProxyEndpoint> Local,
    IReadOnlyList<ProxyEndpoint> AllReachable,
    bool HasAnyEndpoints)
{
    public static EndpointCategories Of(ProxyServicePort port, IReadOnlyList<ProxyEndpoint> endpoints)
    {
        IReadOnlyList<ProxyEndpoint> cluster = port.UsesClusterEndpoints ? Usable(endpoints) : [];
        IReadOnlyList<ProxyEndpoint> local = port.UsesLocalEndpoints ? Usable([.. endpoints.Where(e => e.IsLocal)]) : [];
        var hasAny = cluster.Count > 0 || local.Count > 0 || endpoints.Any(e => e.Ready || (e.Serving && e.Terminating));
        IReadOnlyList<ProxyEndpoint> all = [.. cluster.Concat(local).Distinct()];
        return new EndpointCategories(cluster, local, all, hasAny);
    }

    private static List<ProxyEndpoint> Usable(IReadOnlyList<ProxyEndpoint> endpoints)
    {
        var ready = endpoints.Where(e => e.Ready).ToList();
        return ready.Count > 0 ? ready : [.. endpoints.Where(e => e.Serving && e.Terminating)];
    }
}
