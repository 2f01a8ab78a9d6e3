namespace Timonel.Agent.Proxy;

/// <summary>
/// Removes everything the proxy installed (kube-proxy's --cleanup): its table, and with it every chain, map and set
/// in it. Nothing else on the machine is touched; the kernel settings it turned on stay, as kube-proxy leaves them.
/// </summary>
public static class ProxyCleanup
{
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
