namespace Timonel.Agent.Proxy;

/// <summary>A verdict map of the proxy's table: its name and nft type ("ipv4_addr . inet_proto . inet_service : verdict").</summary>
public sealed record NftMap(string Name, string Type);
