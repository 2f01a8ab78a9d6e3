namespace Timonel.Agent.Proxy;

/// <summary>
/// The kernel side of the Service proxy (kube-proxy's proxy modes): nftables or iptables-nft, chosen once at start
/// and never mixed. It keeps each Service's rules between syncs, so a sync rebuilds only the Services that changed.
/// </summary>
public interface IProxyBackend
{
    /// <summary>"nftables" or "iptables", as --proxy-mode names it.</summary>
    string Mode { get; }

    /// <summary>
    /// Brings the kernel's rules up to date: the Services in <paramref name="changed"/> ("namespace/name" → their
    /// ports and endpoints; none when the Service is gone or has nothing to proxy) take their new rules, every other
    /// Service keeps the rules it had. One atomic transaction.
    /// </summary>
    /// <exception cref="NftablesException">nft refused the transaction.</exception>
    /// <exception cref="Iptables.IptablesException">iptables-nft-restore refused it.</exception>
    Task SyncAsync(IReadOnlyDictionary<string, IReadOnlyList<ServicePortEndpoints>> changed, CancellationToken cancellationToken);

    /// <summary>What the kernel holds after the last sync, for the log ("N chains in nftables table ip timonel").</summary>
    string Describe();
}
