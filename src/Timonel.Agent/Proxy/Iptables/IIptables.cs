namespace Timonel.Agent.Proxy.Iptables;

/// <summary>Where the iptables backend's changes go: the iptables-nft commands, or a recording fake in tests.</summary>
public interface IIptables
{
    /// <summary>
    /// Runs iptables-nft-restore --noflush: tables and chains not named in the input are left alone, a chain declared
    /// in it is created or flushed, and the whole input is one nftables transaction (all applies, or none).
    /// </summary>
    /// <exception cref="IptablesException">The restore was refused.</exception>
    Task RestoreAsync(string input, CancellationToken cancellationToken);

    /// <summary>iptables-nft-save's output for one table ("nat", "filter"); empty when the table does not exist.</summary>
    Task<string> SaveAsync(string table, CancellationToken cancellationToken);

    /// <summary>Runs iptables-nft with the arguments; answers whether it exited with 0 (for -C, whether the rule exists).</summary>
    Task<bool> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
