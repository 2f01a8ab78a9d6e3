namespace Timonel.Agent.Proxy.Iptables;

/// <summary>
/// One Service's part of the iptables backend's rules: the nat chains it owns (name → rule bodies, without "-A
/// CHAIN") and its lines ("-A ..." complete) in the shared chains: nat TIMONEL-SERVICES and TIMONEL-NODEPORTS,
/// filter TIMONEL-SERVICES.
/// </summary>
public sealed class IptablesRuleset
{
    public Dictionary<string, List<string>> NatChains { get; } = new(StringComparer.Ordinal);

    public List<string> NatServices { get; } = [];

    public List<string> NatNodePorts { get; } = [];

    public List<string> FilterServices { get; } = [];
}
