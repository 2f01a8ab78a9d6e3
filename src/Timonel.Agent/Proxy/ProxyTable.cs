namespace Timonel.Agent.Proxy;

/// <summary>
/// Timonel's own nftables table, shaped as upstream kube-proxy's nftables mode (pkg/proxy/nftables): base chains on
/// the netfilter hooks jumping to a few fixed chains; Service traffic dispatched by verdict maps keyed by destination
/// address, protocol and port; packets to Services without endpoints rejected in the filter hooks; masquerading by a
/// packet mark. Only this table is ever touched, so other rules on the machine (the CNI plugins' iptables-nft
/// chains, a firewall) are left alone. IPv4 only for now.
/// </summary>
public static class ProxyTable
{
    public const string Family = "ip";
    public const string Name = "timonel";

    /// <summary>Bit 14, upstream's default --masquerade-bit.</summary>
    public const string MasqueradeMark = "0x00004000";

    public const string ServicesChain = "services";
    public const string MarkMasqueradeChain = "mark-for-masquerade";
    public const string MasqueradingChain = "masquerading";
    public const string EndpointsCheckChain = "endpoints-check";
    public const string FirewallCheckChain = "firewall-check";
    public const string RejectChain = "reject-chain";

    public const string ServiceIpsMap = "service-ips";
    public const string ServiceNodePortsMap = "service-nodeports";
    public const string NoEndpointServicesMap = "no-endpoint-services";
    public const string NoEndpointNodePortsMap = "no-endpoint-nodeports";
    public const string FirewallIpsMap = "firewall-ips";

    private const string AddressKey = "ipv4_addr . inet_proto . inet_service : verdict";
    private const string PortKey = "inet_proto . inet_service : verdict";

    /// <summary>"table-name" as every nft command names the table.</summary>
    public const string Qualified = Family + " " + Name;

    public static IReadOnlyList<NftMap> Maps { get; } =
    [
        new(ServiceIpsMap, AddressKey),
        new(ServiceNodePortsMap, PortKey),
        new(NoEndpointServicesMap, AddressKey),
        new(NoEndpointNodePortsMap, PortKey),
        new(FirewallIpsMap, AddressKey),
    ];

    // Filtering runs before DNAT (dstnat - 10), so it sees the Service's address, not the endpoint's.
    private static readonly (string Name, string Type, string Hook, int Priority)[] _baseChains =
    [
        ("filter-prerouting", "filter", "prerouting", -110),
        ("filter-input", "filter", "input", -110),
        ("filter-forward", "filter", "forward", -110),
        ("filter-output", "filter", "output", -110),
        ("nat-prerouting", "nat", "prerouting", -100),
        ("nat-output", "nat", "output", -100),
        ("nat-postrouting", "nat", "postrouting", 100),
    ];

    // reject is only valid in the input, forward and output hooks, hence no endpoints-check from prerouting.
    private static readonly (string From, string Rule)[] _jumps =
    [
        ("filter-input", $"ct state new jump {EndpointsCheckChain}"),
        ("filter-forward", $"ct state new jump {EndpointsCheckChain}"),
        ("filter-output", $"ct state new jump {EndpointsCheckChain}"),
        ("filter-prerouting", $"ct state new jump {FirewallCheckChain}"),
        ("filter-output", $"ct state new jump {FirewallCheckChain}"),
        ("nat-output", $"jump {ServicesChain}"),
        ("nat-prerouting", $"jump {ServicesChain}"),
        ("nat-postrouting", $"jump {MasqueradingChain}"),
    ];

    /// <summary>
    /// The fixed part of the table, written (chains flushed and refilled) at every full sync. NodePorts are matched
    /// on every local address, 127.0.0.1 included (as upstream's iptables mode, with route_localnet), so "fib daddr
    /// type local" rather than a set of node addresses.
    /// </summary>
    public static IEnumerable<string> Skeleton()
    {
        yield return $"add table {Qualified} {{ comment \"Service rules of the timonel node agent\" ; }}";
        foreach (var (name, type, hook, priority) in _baseChains)
        {
            yield return $"add chain {Qualified} {name} {{ type {type} hook {hook} priority {priority} ; }}";
            yield return $"flush chain {Qualified} {name}";
        }

        foreach (var chain in new[] { EndpointsCheckChain, FirewallCheckChain, ServicesChain, MasqueradingChain, MarkMasqueradeChain, RejectChain })
        {
            yield return $"add chain {Qualified} {chain}";
            yield return $"flush chain {Qualified} {chain}";
        }

        foreach (var map in Maps)
        {
            yield return $"add map {Qualified} {map.Name} {{ type {map.Type} ; }}";
        }

        foreach (var (from, rule) in _jumps)
        {
            yield return Rule(from, rule);
        }

        yield return Rule(MarkMasqueradeChain, $"mark set mark or {MasqueradeMark}");
        yield return Rule(MasqueradingChain, $"mark and {MasqueradeMark} == 0 return");
        yield return Rule(MasqueradingChain, $"mark set mark xor {MasqueradeMark}");
        yield return Rule(MasqueradingChain, "masquerade fully-random");
        yield return Rule(RejectChain, "reject");
        yield return Rule(EndpointsCheckChain, $"ip daddr . meta l4proto . th dport vmap @{NoEndpointServicesMap}");
        yield return Rule(EndpointsCheckChain, $"fib daddr type local meta l4proto . th dport vmap @{NoEndpointNodePortsMap}");
        yield return Rule(FirewallCheckChain, $"ip daddr . meta l4proto . th dport vmap @{FirewallIpsMap}");
        yield return Rule(ServicesChain, $"ip daddr . meta l4proto . th dport vmap @{ServiceIpsMap}");
        yield return Rule(ServicesChain, $"fib daddr type local meta l4proto . th dport vmap @{ServiceNodePortsMap}");
    }

    public static string Rule(string chain, string rule) => $"add rule {Qualified} {chain} {rule}";
}
