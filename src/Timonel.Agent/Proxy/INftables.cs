namespace Timonel.Agent.Proxy;

/// <summary>Where the proxy's transactions go: the nft command, or a recording fake in tests.</summary>
public interface INftables
{
    /// <summary>Runs the script as one atomic transaction: all of it applies, or none.</summary>
    /// <exception cref="NftablesException">nft refused the script.</exception>
    Task RunAsync(string script, CancellationToken cancellationToken);

    /// <summary>Whether the proxy's table exists.</summary>
    Task<bool> TableExistsAsync(CancellationToken cancellationToken);
}
