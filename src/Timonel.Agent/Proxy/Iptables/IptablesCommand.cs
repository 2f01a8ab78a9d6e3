using System.ComponentModel;

namespace Timonel.Agent.Proxy.Iptables;

/// <summary>
/// Runs Debian's iptables-nft tools (the iptables package): iptables' rule language on the kernel's nf_tables, in the
/// "ip nat" and "ip filter" tables every iptables-nft user shares.
/// </summary>
public sealed class IptablesCommand : IIptables
{
    private readonly string _command;

    /// <param name="command">Empty to run the tools directly; "ip" with <paramref name="prefixArguments"/> "netns exec NAME" in tests.</param>
    /// <param name="prefixArguments">Arguments before the tool's name.</param>
    public IptablesCommand(string command = "", IReadOnlyList<string>? prefixArguments = null)
    {
        _command = command;
        PrefixArguments = prefixArguments ?? [];
    }

    public IReadOnlyList<string> PrefixArguments { get; }

    /// <summary>Whether iptables-nft can be run here (it is installed and the kernel answers it).</summary>
    public static bool Available() => Proxy.ToolProcess.Succeeds("iptables-nft-save", "-t", "nat") && Proxy.ToolProcess.Succeeds("iptables-nft-restore", "--version");

    public async Task RestoreAsync(string input, CancellationToken cancellationToken)
    {
        var (code, _, error) = await RunToolAsync("iptables-nft-restore", ["--noflush"], input, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new IptablesException($"iptables-nft-restore: {error.Trim()}");
        }
    }

    public async Task<string> SaveAsync(string table, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunToolAsync("iptables-nft-save", ["-t", table], null, cancellationToken).ConfigureAwait(false);
        return code == 0 ? output : throw new IptablesException($"iptables-nft-save: {error.Trim()}");
    }

    public async Task<bool> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (code, _, _) = await RunToolAsync("iptables-nft", arguments, null, cancellationToken).ConfigureAwait(false);
        return code == 0;
    }

    private async Task<(int Code, string Output, string Error)> RunToolAsync(string tool, IEnumerable<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var (file, all) = _command.Length == 0 ? (tool, arguments) : (_command, [.. PrefixArguments, tool, .. arguments]);
        try
        {
            return await Proxy.ToolProcess.RunAsync(file, all, input, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw new IptablesException($"{tool}: {ex.Message} (install the iptables package)");
        }
    }
}
