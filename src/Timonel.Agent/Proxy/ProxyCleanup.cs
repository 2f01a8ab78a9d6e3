using Timonel.Agent.Proxy.Iptables;

namespace Timonel.Agent.Proxy;

/// <summary>
/// Removes everything the proxy installed (kube-proxy's --cleanup): its nftables table, and with it every chain, map
/// and set in it, and the iptables mode's chains and jumps. Nothing else on the machine is touched; the kernel
/// settings it turned on stay, as kube-proxy leaves them.
/// </summary>
public static class ProxyCleanup
{
    /// <summary>Removes both backends' rules where their tools run here.</summary>
    /// <returns>What was removed, one line each; empty when there was nothing.</returns>
    /// <exception cref="NftablesException">nft refused.</exception>
    /// <exception cref="IptablesException">iptables-nft refused.</exception>
    public static async Task<IReadOnlyList<string>> RunAllAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        if (NftCommand.Available() && await RunAsync(new NftCommand(), cancellationToken).ConfigureAwait(false))
        {
            removed.Add($"nftables table {ProxyTable.Qualified}");
        }

        if (IptablesCommand.Available() && await IptablesCleanup.RunAsync(new IptablesCommand(), cancellationToken).ConfigureAwait(false))
        {
            removed.Add($"iptables-nft chains {IptablesChains.Prefix}* and the jumps to them");
        }

        return removed;
    }

    /// <summary>Deletes the table if it exists.</summary>
    /// <returns>Whether there was one.</returns>
    /// <exception cref="NftablesException">nft could not run or refused.</exception>
    public static async Task<bool> RunAsync(INftables nftables, CancellationToken cancellationToken)
    {
        if (!await nftables.TableExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await nftables.RunAsync($"delete table {ProxyTable.Qualified}\n", cancellationToken).ConfigureAwait(false);
        return true;
    }
}
