namespace Timonel.Agent.Proxy;

/// <summary>
/// Which of a Service port's chains exist and where its traffic goes, by its traffic policies and endpoints
/// (upstream's syncProxyRules decisions, shared by both backends).
/// </summary>
public sealed record TrafficPlan(EndpointCategories Endpoints)
{
    /// <summary>Internal traffic (to the cluster IP) has an endpoint under its policy.</summary>
    public required bool HasInternal { get; init; }

    /// <summary>External traffic (node port, external and load-balancer IPs) has an endpoint under its policy.</summary>
    public required bool HasExternal { get; init; }

    public required bool UsesClusterChain { get; init; }

    public required bool UsesLocalChain { get; init; }

    public required bool UsesExternalChain { get; init; }

    /// <summary>
    /// Traffic with no endpoint is rejected (the client sees a refused connection at once) when the Service has no
    /// endpoint at all, dropped when it has none only under a Local policy, as a node without local endpoints should
    /// look to an external load balancer.
    /// </summary>
    public bool RejectsWithoutEndpoint => !Endpoints.HasAnyEndpoints;

    public static TrafficPlan Of(ProxyServicePort port, IReadOnlyList<ProxyEndpoint> endpoints)
    {
        var categories = EndpointCategories.Of(port, endpoints);
        return new TrafficPlan(categories)
        {
            HasInternal = categories.HasAnyEndpoints && (!port.InternalPolicyLocal || categories.Local.Count > 0),
            HasExternal = categories.HasAnyEndpoints && (!port.ExternalPolicyLocal || categories.Local.Count > 0),
            UsesClusterChain = categories.Cluster.Count > 0 && port.UsesClusterEndpoints,
            UsesLocalChain = categories.Local.Count > 0 && port.UsesLocalEndpoints,
            UsesExternalChain = categories.HasAnyEndpoints && port.ExternallyAccessible,
        };
    }
}
