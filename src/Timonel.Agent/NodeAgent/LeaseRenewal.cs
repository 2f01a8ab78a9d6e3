namespace Timonel.Agent.NodeAgent;

/// <summary>One Lease renewal: the node's Lease at <paramref name="ResourceVersion"/>, renewed at <paramref name="RenewTime"/>.</summary>
internal readonly record struct LeaseRenewal(string Node, string NodeUid, string ResourceVersion, DateTimeOffset RenewTime);
