namespace Timonel.Agent.Proxy;

/// <summary>nft refused a transaction (or could not be run); the message is nft's own.</summary>
public sealed class NftablesException(string message) : Exception(message);
