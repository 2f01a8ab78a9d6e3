namespace Timonel.Agent.Proxy.Iptables;

/// <summary>iptables-nft could not run, or refused a restore.</summary>
public sealed class IptablesException(string message) : Exception(message);
