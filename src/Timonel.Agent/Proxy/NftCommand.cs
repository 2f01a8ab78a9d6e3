using System.ComponentModel;

namespace Timonel.Agent.Proxy;

/// <summary>
/// Runs nft (Debian's nftables package): a script on its standard input is one netlink batch, so the kernel applies
/// it atomically.
/// </summary>
public sealed class NftCommand : INftables
{
    private readonly string _nft;

    /// <param name="nft">The nft executable, or a command run through <c>ip netns exec</c> in tests.</param>
    /// <param name="prefixArguments">Arguments before nft's own (e.g. "netns exec NAME nft" when <paramref name="nft"/> is ip).</param>
    public NftCommand(string nft = "nft", IReadOnlyList<string>? prefixArguments = null)
    {
        _nft = nft;
        PrefixArguments = prefixArguments ?? [];
    }

    public IReadOnlyList<string> PrefixArguments { get; }

    /// <summary>Whether nft can be run here (it is installed and the kernel answers it).</summary>
    public static bool Available() => ToolProcess.Succeeds("nft", "list", "tables");

    public async Task RunAsync(string script, CancellationToken cancellationToken)
    {
        var (code, _, error) = await RunNftAsync(["-f", "-"], script, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new NftablesException($"nft -f: {error.Trim()}");
        }
    }

    public async Task<bool> TableExistsAsync(CancellationToken cancellationToken)
    {
        var (code, _, _) = await RunNftAsync(["list", "table", ProxyTable.Family, ProxyTable.Name], null, cancellationToken).ConfigureAwait(false);
        return code == 0;
    }

    /// <summary>Runs nft with the arguments (and the input, if any); answers its exit code, output and error output.</summary>
    public async Task<(int Code, string Output, string Error)> RunNftAsync(IEnumerable<string> arguments, string? input, CancellationToken cancellationToken)
    {
        try
        {
            return await ToolProcess.RunAsync(_nft, [.. PrefixArguments, .. arguments], input, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw new NftablesException($"{_nft}: {ex.Message} (install the nftables package)");
        }
    }
}
