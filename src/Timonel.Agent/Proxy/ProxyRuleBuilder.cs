namespace Timonel.Agent.Proxy;

/// <summary>
/// The per-Service chains, map elements and affinity sets for a set of Service ports and their endpoints, upstream's
/// syncProxyRules (pkg/proxy/nftables/proxier.go) as data. For each port: the cluster IP (and external and
/// load-balancer IPs, and the NodePort) dispatched to the chain of its traffic policy, or to reject (no endpoint at
/// all) or drop (no endpoint for that policy) in the filter hooks; a policy chain picking an endpoint with equal
/// probability (numgen random) after the affinity sets; one chain per endpoint that marks hairpin traffic for
/// masquerade, records affinity and DNATs.
/// </summary>
public sealed class ProxyRuleBuilder
{
    private readonly string? _clusterCidr;

    /// <param name="clusterCidr">The pod network: traffic from it is the cluster's own (upstream's local traffic detector); null to tell none.</param>
    public ProxyRuleBuilder(string? clusterCidr)
    {
        _clusterCidr = clusterCidr;
    }

    public NftRuleset Build(IEnumerable<(ProxyServicePort Port, IReadOnlyList<ProxyEndpoint> Endpoints)> services)
    {
        var rules = new NftRuleset();
        foreach (var (port, endpoints) in services)
        {
            Add(rules, port, TrafficPlan.Of(port, endpoints));
        }

        return rules;
    }

    private void Add(NftRuleset rules, ProxyServicePort port, TrafficPlan plan)
    {
        var endpoints = plan.Endpoints;
        var clusterChain = ProxyChainNames.Cluster(port);
        var localChain = ProxyChainNames.Local(port);
        var externalChain = ProxyChainNames.External(port);
        var internalChain = port.InternalPolicyLocal ? localChain : clusterChain;
        var hasInternal = plan.HasInternal;
        var externalPolicyChain = port.ExternalPolicyLocal ? localChain : clusterChain;
        var hasExternal = plan.HasExternal;
        var internalNoEndpoint = plan.RejectsWithoutEndpoint ? $"goto {ProxyTable.RejectChain}" : "drop";
        var externalNoEndpoint = internalNoEndpoint;
        var portKey = $"{port.Protocol} . {port.Port}";

        if (hasInternal)
        {
            rules.AddElement(ProxyTable.ServiceIpsMap, $"{port.ClusterIp} . {portKey}", $"goto {internalChain}");
        }
        else
        {
            rules.AddElement(ProxyTable.NoEndpointServicesMap, $"{port.ClusterIp} . {portKey}", internalNoEndpoint);
        }

        foreach (var ip in port.ExternalIps.Concat(port.LoadBalancerIps))
        {
            if (endpoints.HasAnyEndpoints)
            {
                rules.AddElement(ProxyTable.ServiceIpsMap, $"{ip} . {portKey}", $"goto {externalChain}");
            }

            if (!hasExternal)
            {
                rules.AddElement(ProxyTable.NoEndpointServicesMap, $"{ip} . {portKey}", externalNoEndpoint);
            }
        }

        if (port.LoadBalancerIps.Count > 0 && port.LoadBalancerSourceRanges.Count > 0)
        {
            var firewallChain = ProxyChainNames.Firewall(port);
            // Node-originated requests to a VIP bound locally come back from the VIP itself.
            var sources = port.LoadBalancerSourceRanges.Concat(port.LoadBalancerIps);
            rules.Chains[firewallChain] = [$"ip saddr != {{ {string.Join(", ", sources)} }} drop"];
            foreach (var ip in port.LoadBalancerIps)
            {
                rules.AddElement(ProxyTable.FirewallIpsMap, $"{ip} . {portKey}", $"goto {firewallChain}");
            }
        }

        if (port.NodePort != 0)
        {
            var nodePortKey = $"{port.Protocol} . {port.NodePort}";
            if (endpoints.HasAnyEndpoints)
            {
                rules.AddElement(ProxyTable.ServiceNodePortsMap, nodePortKey, $"goto {externalChain}");
            }

            if (!hasExternal)
            {
                rules.AddElement(ProxyTable.NoEndpointNodePortsMap, nodePortKey, externalNoEndpoint);
            }
        }

        var clusterRules = new List<string>();
        var localRules = new List<string>();
        if (hasInternal && _clusterCidr is not null)
        {
            // Off-cluster clients routed to a cluster IP may be answered by another node: masquerade them.
            (port.InternalPolicyLocal ? localRules : clusterRules).Add(
                $"ip daddr {port.ClusterIp} {port.Protocol} dport {port.Port} ip saddr != {_clusterCidr} jump {ProxyTable.MarkMasqueradeChain}");
        }

        if (plan.UsesExternalChain)
        {
            rules.Chains[externalChain] = ExternalRules(port, clusterChain, externalPolicyChain, hasExternal);
        }

        if (plan.UsesClusterChain)
        {
            rules.Chains[clusterChain] = [.. clusterRules, .. SelectionRules(port, endpoints.Cluster)];
        }

        if (plan.UsesLocalChain)
        {
            rules.Chains[localChain] = [.. localRules, .. SelectionRules(port, endpoints.Local)];
        }

        foreach (var endpoint in endpoints.AllReachable)
        {
            var affinitySet = ProxyChainNames.Affinity(port, endpoint);
            var endpointRules = new List<string> { $"ip saddr {endpoint.Ip} jump {ProxyTable.MarkMasqueradeChain}" };
            if (port.AffinityTimeoutSeconds is { } timeout)
            {
                rules.AffinitySets[affinitySet] = timeout;
                endpointRules.Add($"update @{affinitySet} {{ ip saddr }}");
            }

            endpointRules.Add($"meta l4proto {port.Protocol} dnat to {endpoint}");
            rules.Chains[ProxyChainNames.Endpoint(port, endpoint)] = endpointRules;
        }
    }

    private List<string> ExternalRules(ProxyServicePort port, string clusterChain, string externalPolicyChain, bool hasExternal)
    {
        var rules = new List<string>();
        if (!port.ExternalPolicyLocal)
        {
            // Cluster endpoints may be on another node: masquerade so replies come back through this one.
            rules.Add($"jump {ProxyTable.MarkMasqueradeChain}");
        }
        else
        {
            if (_clusterCidr is not null)
            {
                // Pods reaching an external address are not subject to the policy (as if via the load balancer).
                rules.Add($"ip saddr {_clusterCidr} goto {clusterChain}");
            }

            // The host's own requests carry a local source address that must not reach the endpoint.
            rules.Add($"fib saddr type local jump {ProxyTable.MarkMasqueradeChain}");
            rules.Add($"fib saddr type local goto {clusterChain}");
        }

        if (hasExternal)
        {
            rules.Add($"goto {externalPolicyChain}");
        }

        return rules;
    }

    private static IEnumerable<string> SelectionRules(ProxyServicePort port, IReadOnlyList<ProxyEndpoint> endpoints)
    {
        if (port.AffinityTimeoutSeconds is not null)
        {
            foreach (var endpoint in endpoints)
            {
                yield return $"ip saddr @{ProxyChainNames.Affinity(port, endpoint)} goto {ProxyChainNames.Endpoint(port, endpoint)}";
            }
        }

        var choices = endpoints.Select((e, i) => $"{i} : goto {ProxyChainNames.Endpoint(port, e)}");
        yield return $"numgen random mod {endpoints.Count} vmap {{ {string.Join(" , ", choices)} }}";
    }
}
