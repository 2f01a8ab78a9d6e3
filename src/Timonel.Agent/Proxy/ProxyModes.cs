using Microsoft.Extensions.Logging;
using Timonel.Agent.Proxy.Iptables;

namespace Timonel.Agent.Proxy;

/// <summary>
/// Picks the Service proxy's backend once at start (--proxy-mode): nftables, iptables (iptables-nft), or by default
/// nftables where nft runs and iptables-nft otherwise. The other backend's rules, left by an earlier run in the other
/// mode, are removed, so the two never both hold Service rules.
/// </summary>
public static class ProxyModes
{
    public const string Auto = "";
    public const string Nftables = "nftables";
    public const string Iptables = "iptables";

    public static IReadOnlyList<string> All { get; } = [Nftables, Iptables];

    /// <summary>The backend for <paramref name="mode"/>; null (with the reason logged) when it cannot run here.</summary>
    public static async Task<IProxyBackend?> ChooseAsync(string mode, string? clusterCidr, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var nftables = NftCommand.Available();
        var iptables = IptablesCommand.Available();
        var chosen = mode switch
        {
            Nftables or Iptables => mode,
            _ => nftables ? Nftables : iptables ? Iptables : null,
        };
        if (chosen is null || (chosen == Nftables && !nftables) || (chosen == Iptables && !iptables))
        {
            logger.LogError(
                "Services are not reachable from this node: {Reason}",
                chosen == Iptables ? "iptables-nft cannot run here (install the iptables package)"
                : chosen == Nftables ? "nft cannot run here (install the nftables package)"
                : "neither nft nor iptables-nft can run here (install the nftables package)");
            return null;
        }

        if (chosen == Nftables)
        {
            if (iptables && await IptablesCleanup.RunAsync(new IptablesCommand(), cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("removed the iptables-mode Service rules of an earlier run");
            }

            logger.LogInformation("service proxy mode: nftables (table {Table})", ProxyTable.Qualified);
            return new NftablesBackend(new NftCommand(), clusterCidr, time, logger);
        }

        if (nftables && await ProxyCleanup.RunAsync(new NftCommand(), cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("removed the nftables-mode Service rules of an earlier run");
        }

        logger.LogInformation("service proxy mode: iptables (iptables-nft){Why}", mode == Auto ? ", as nft cannot run here" : "");
        return new IptablesBackend(new IptablesCommand(), clusterCidr, logger);
    }
}
