using System.Text;

namespace Timonel.Agent.Proxy.Iptables;

/// <summary>
/// Removes everything the iptables backend installed: the jumps from the built-in chains and every TIMONEL- chain in
/// the nat and filter tables, in one restore. Other rules in those tables (the CNI plugins', a firewall's) stay.
/// </summary>
public static class IptablesCleanup
{
    private static readonly string[] _tables = ["nat", "filter"];

    /// <returns>Whether there was anything to remove.</returns>
    /// <exception cref="IptablesException">iptables-nft could not run or refused.</exception>
    public static async Task<bool> RunAsync(IIptables iptables, CancellationToken cancellationToken)
    {
        var script = new StringBuilder();
        var any = false;
        foreach (var table in _tables)
        {
            var save = await iptables.SaveAsync(table, cancellationToken).ConfigureAwait(false);
            var chains = IptablesRulesWriter.ChainsIn(save).ToList();
            // iptables-nft-save prints rules as -D takes them back.
            var jumps = save.Split('\n')
                .Where(line => line.StartsWith("-A ", StringComparison.Ordinal) && !line.StartsWith("-A " + IptablesChains.Prefix, StringComparison.Ordinal)
                    && line.Contains("-j " + IptablesChains.Prefix, StringComparison.Ordinal))
                .Select(line => "-D " + line[3..])
                .ToList();
            if (chains.Count == 0 && jumps.Count == 0)
            {
                continue;
            }

            any = true;
            script.Append('*').AppendLine(table);
            foreach (var chain in chains)
            {
                script.Append(':').Append(chain).AppendLine(" - [0:0]");
            }

            foreach (var jump in jumps)
            {
                script.AppendLine(jump);
            }

            foreach (var chain in chains)
            {
                script.Append("-X ").AppendLine(chain);
            }

            script.AppendLine("COMMIT");
        }

        if (any)
        {
            await iptables.RestoreAsync(script.ToString(), cancellationToken).ConfigureAwait(false);
        }

        return any;
    }
}
