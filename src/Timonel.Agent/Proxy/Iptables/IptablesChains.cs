namespace Timonel.Agent.Proxy.Iptables;

/// <summary>
/// The iptables backend's chains, kube-proxy's iptables mode under Timonel's own names (TIMONEL- for KUBE-): fixed
/// chains jumped to from the built-in ones, and per-Service chains named by a prefix and 16 base32 characters of the
/// SHA-256 of the Service port (and endpoint), which fits iptables' 28-character limit.
/// </summary>
public static class IptablesChains
{
    public const string Prefix = "TIMONEL-";

    /// <summary>nat: Service addresses to their chains; filter: rejects for Services without endpoints.</summary>
    public const string Services = "TIMONEL-SERVICES";

    /// <summary>nat: node ports on every local address to their Services' external chains.</summary>
    public const string NodePorts = "TIMONEL-NODEPORTS";

    public const string Postrouting = "TIMONEL-POSTROUTING";
    public const string MarkMasquerade = "TIMONEL-MARK-MASQ";
    public const string MarkDrop = "TIMONEL-MARK-DROP";

    /// <summary>filter: drops what a load balancer's source ranges keep out (marked in nat, where DROP is not allowed).</summary>
    public const string Firewall = "TIMONEL-FIREWALL";

    /// <summary>Bit 14, upstream's default --masquerade-bit (the nftables mode uses the same).</summary>
    public const string MasqueradeMark = "0x4000";

    /// <summary>Bit 15, upstream's --iptables-drop-bit.</summary>
    public const string DropMark = "0x8000";

    /// <summary>The jumps into Timonel's chains from the built-in ones, per table, as iptables-nft -C/-I/-D take them.</summary>
    public static IReadOnlyList<(string Table, string[] Rule)> Jumps { get; } =
    [
        ("nat", ["PREROUTING", "-m", "comment", "--comment", "timonel service portals", "-j", Services]),
        ("nat", ["OUTPUT", "-m", "comment", "--comment", "timonel service portals", "-j", Services]),
        ("nat", ["POSTROUTING", "-m", "comment", "--comment", "timonel postrouting rules", "-j", Postrouting]),
        ("filter", ["INPUT", "-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment", "timonel service portals", "-j", Services]),
        ("filter", ["FORWARD", "-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment", "timonel service portals", "-j", Services]),
        ("filter", ["OUTPUT", "-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment", "timonel service portals", "-j", Services]),
        ("filter", ["INPUT", "-j", Firewall]),
        ("filter", ["FORWARD", "-j", Firewall]),
        ("filter", ["OUTPUT", "-j", Firewall]),
    ];

    /// <summary>The fixed nat chains, declared (so flushed) and refilled at every restore.</summary>
    public static IReadOnlyList<string> FixedNat { get; } = [Services, NodePorts, Postrouting, MarkMasquerade, MarkDrop];

    /// <summary>The fixed filter chains.</summary>
    public static IReadOnlyList<string> FixedFilter { get; } = [Services, Firewall];

    /// <summary>The fixed nat chains' own rules ("-A ..." lines), the node-port dispatch excepted.</summary>
    public static IEnumerable<string> FixedNatRules()
    {
        yield return $"-A {MarkMasquerade} -j MARK --or-mark {MasqueradeMark}";
        yield return $"-A {MarkDrop} -j MARK --or-mark {DropMark}";
        yield return $"-A {Postrouting} -m mark ! --mark {MasqueradeMark}/{MasqueradeMark} -j RETURN";
        yield return $"-A {Postrouting} -j MARK --xor-mark {MasqueradeMark}";
        yield return $"-A {Postrouting} -m comment --comment \"timonel service traffic requiring SNAT\" -j MASQUERADE --random-fully";
    }

    public static IEnumerable<string> FixedFilterRules()
    {
        yield return $"-A {Firewall} -m mark --mark {DropMark}/{DropMark} -m comment --comment \"timonel firewall for dropping marked packets\" -j DROP";
    }

    /// <summary>Last in nat TIMONEL-SERVICES, as upstream's: node ports on every local address (127.0.0.1 too, with route_localnet).</summary>
    public static string NodePortsDispatch => $"-A {Services} -m addrtype --dst-type LOCAL -j {NodePorts}";

    public static string Service(ProxyServicePort port) => "TIMONEL-SVC-" + ServiceHash(port);

    public static string Local(ProxyServicePort port) => "TIMONEL-SVL-" + ServiceHash(port);

    public static string External(ProxyServicePort port) => "TIMONEL-EXT-" + ServiceHash(port);

    public static string LoadBalancerFirewall(ProxyServicePort port) => "TIMONEL-FW-" + ServiceHash(port);

    public static string Endpoint(ProxyServicePort port, ProxyEndpoint endpoint) =>
        "TIMONEL-SEP-" + ChainHash.Base32($"{port.Namespace}/{port.Name}/{port.Protocol}/{port.PortName}__{endpoint.Ip}/{endpoint.Port}", 16);

    private static string ServiceHash(ProxyServicePort port) => ChainHash.Base32($"{port.Namespace}/{port.Name}/{port.Protocol}/{port.PortName}", 16);
}
