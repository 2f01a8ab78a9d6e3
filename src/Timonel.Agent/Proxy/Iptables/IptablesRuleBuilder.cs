using System.Globalization;

namespace Timonel.Agent.Proxy.Iptables;

/// <summary>
/// One Service's iptables rules, kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go) as data. Per port: the
/// cluster IP (and external and load-balancer IPs) in nat TIMONEL-SERVICES and the node port in TIMONEL-NODEPORTS
/// jump to the chain of its traffic policy; a policy chain (TIMONEL-SVC- for Cluster, TIMONEL-SVL- for Local) picks
/// an endpoint with equal probability by a cascade of "statistic --mode random --probability 1/n" rules, after the
/// ClientIP affinity's "recent" checks; one TIMONEL-SEP- chain per endpoint marks hairpin traffic for masquerade and
/// DNATs. Traffic without an endpoint is rejected (or dropped under a Local policy) in filter TIMONEL-SERVICES.
/// </summary>
public sealed class IptablesRuleBuilder
{
    private readonly string? _clusterCidr;

    /// <param name="clusterCidr">The pod network: traffic from it is the cluster's own; null to tell none.</param>
    public IptablesRuleBuilder(string? clusterCidr)
    {
        _clusterCidr = clusterCidr;
    }

    public IptablesRuleset Build(IEnumerable<ServicePortEndpoints> ports)
    {
        var rules = new IptablesRuleset();
        foreach (var port in ports)
        {
            Add(rules, port.Port, TrafficPlan.Of(port.Port, port.Endpoints));
        }

        return rules;
    }

    private void Add(IptablesRuleset rules, ProxyServicePort port, TrafficPlan plan)
    {
        var clusterChain = IptablesChains.Service(port);
        var localChain = IptablesChains.Local(port);
        var externalChain = IptablesChains.External(port);
        var internalChain = port.InternalPolicyLocal ? localChain : clusterChain;
        var externalPolicyChain = port.ExternalPolicyLocal ? localChain : clusterChain;
        var noEndpoint = plan.RejectsWithoutEndpoint ? "REJECT" : "DROP";
        var name = $"{port.Namespace}/{port.Name}:{port.PortName}";
        var match = $"-p {port.Protocol} -m {port.Protocol} --dport {port.Port}";

        if (plan.HasInternal)
        {
            rules.NatServices.Add($"-A {IptablesChains.Services} -d {port.ClusterIp}/32 {match} -m comment --comment \"{name} cluster IP\" -j {internalChain}");
        }
        else
        {
            rules.FilterServices.Add($"-A {IptablesChains.Services} -d {port.ClusterIp}/32 {match} -m comment --comment \"{name} has no endpoints\" -j {noEndpoint}");
        }

        var firewalled = port.LoadBalancerIps.Count > 0 && port.LoadBalancerSourceRanges.Count > 0 && plan.UsesExternalChain;
        foreach (var ip in port.ExternalIps.Concat(port.LoadBalancerIps))
        {
            if (plan.Endpoints.HasAnyEndpoints)
            {
                var target = firewalled && port.LoadBalancerIps.Contains(ip) ? IptablesChains.LoadBalancerFirewall(port) : externalChain;
                rules.NatServices.Add($"-A {IptablesChains.Services} -d {ip}/32 {match} -m comment --comment \"{name} external IP\" -j {target}");
            }

            if (!plan.HasExternal)
            {
                rules.FilterServices.Add($"-A {IptablesChains.Services} -d {ip}/32 {match} -m comment --comment \"{name} has no local endpoints\" -j {noEndpoint}");
            }
        }

        if (firewalled)
        {
            // Node-originated requests to a VIP bound locally come back from the VIP itself.
            rules.NatChains[IptablesChains.LoadBalancerFirewall(port)] =
            [
                .. port.LoadBalancerSourceRanges.Concat(port.LoadBalancerIps).Select(source => $"-s {source} -j {externalChain}"),
                $"-j {IptablesChains.MarkDrop}",
            ];
        }

        if (port.NodePort != 0)
        {
            var nodePortMatch = $"-p {port.Protocol} -m {port.Protocol} --dport {port.NodePort}";
            if (plan.Endpoints.HasAnyEndpoints)
            {
                rules.NatNodePorts.Add($"-A {IptablesChains.NodePorts} {nodePortMatch} -m comment --comment \"{name} node port\" -j {externalChain}");
            }

            if (!plan.HasExternal)
            {
                rules.FilterServices.Add($"-A {IptablesChains.Services} -m addrtype --dst-type LOCAL {nodePortMatch} -m comment --comment \"{name} has no endpoints\" -j {noEndpoint}");
            }
        }

        // Off-cluster clients routed to a cluster IP may be answered by another node: masquerade them.
        string[] masqueradeOffCluster = plan.HasInternal && _clusterCidr is not null
            ? [$"! -s {_clusterCidr} -d {port.ClusterIp}/32 {match} -j {IptablesChains.MarkMasquerade}"]
            : [];
        if (plan.UsesExternalChain)
        {
            rules.NatChains[externalChain] = ExternalRules(port, clusterChain, externalPolicyChain, plan.HasExternal);
        }

        if (plan.UsesClusterChain)
        {
            rules.NatChains[clusterChain] = [.. port.InternalPolicyLocal ? [] : masqueradeOffCluster, .. SelectionRules(port, plan.Endpoints.Cluster)];
        }

        if (plan.UsesLocalChain)
        {
            rules.NatChains[localChain] = [.. port.InternalPolicyLocal ? masqueradeOffCluster : [], .. SelectionRules(port, plan.Endpoints.Local)];
        }

        foreach (var endpoint in plan.Endpoints.AllReachable)
        {
            var chain = IptablesChains.Endpoint(port, endpoint);
            var recent = port.AffinityTimeoutSeconds is null ? "" : $"-m recent --name {chain} --set ";
            rules.NatChains[chain] =
            [
                $"-s {endpoint.Ip}/32 -j {IptablesChains.MarkMasquerade}",
                $"-p {port.Protocol} -m {port.Protocol} {recent}-j DNAT --to-destination {endpoint}",
            ];
        }
    }

    private List<string> ExternalRules(ProxyServicePort port, string clusterChain, string externalPolicyChain, bool hasExternal)
    {
        var rules = new List<string>();
        if (!port.ExternalPolicyLocal)
        {
            // Cluster endpoints may be on another node: masquerade so replies come back through this one.
            rules.Add($"-j {IptablesChains.MarkMasquerade}");
        }
        else
        {
            if (_clusterCidr is not null)
            {
                // Pods reaching an external address are not subject to the policy (as if via the load balancer).
                rules.Add($"-s {_clusterCidr} -j {clusterChain}");
            }

            // The host's own requests carry a local source address that must not reach the endpoint.
            rules.Add($"-m addrtype --src-type LOCAL -j {IptablesChains.MarkMasquerade}");
            rules.Add($"-m addrtype --src-type LOCAL -j {clusterChain}");
        }

        if (hasExternal)
        {
            rules.Add($"-j {externalPolicyChain}");
        }

        return rules;
    }

    private static IEnumerable<string> SelectionRules(ProxyServicePort port, IReadOnlyList<ProxyEndpoint> endpoints)
    {
        if (port.AffinityTimeoutSeconds is { } timeout)
        {
            foreach (var endpoint in endpoints)
            {
                var chain = IptablesChains.Endpoint(port, endpoint);
                yield return $"-m recent --name {chain} --rcheck --seconds {timeout} --reap -j {chain}";
            }
        }

        // Each rule takes its share of what the ones before left: 1/n, then 1/(n-1), ..., the last all the rest.
        for (var i = 0; i < endpoints.Count; i++)
        {
            var chain = IptablesChains.Endpoint(port, endpoints[i]);
            var left = endpoints.Count - i;
            yield return left > 1
                ? $"-m statistic --mode random --probability {(1.0 / left).ToString("0.0000000000", CultureInfo.InvariantCulture)} -j {chain}"
                : $"-j {chain}";
        }
    }
}
