using System.Text;

namespace Timonel.Agent.Proxy.Iptables;

/// <summary>
/// Writes the input of one iptables-nft-restore --noflush (one transaction): the fixed chains and the shared
/// dispatch chains rewritten in full, the per-Service chains of the Services that changed declared (which flushes
/// them) and refilled, chains no longer wanted flushed and deleted. Unchanged Services' chains are not named, so they
/// stay as they are (upstream's MinimizeIPTablesRestore).
/// </summary>
public static class IptablesRestoreScript
{
    /// <param name="all">Every Service's rules, in a stable order.</param>
    /// <param name="rewrite">The Services whose chains are (re)written.</param>
    /// <param name="deleteChains">nat chains to delete (none of them referenced by what is wanted).</param>
    public static string Write(IReadOnlyList<IptablesRuleset> all, IEnumerable<IptablesRuleset> rewrite, IEnumerable<string> deleteChains)
    {
        var rewritten = rewrite.ToList();
        var deleted = deleteChains.ToList();
        var script = new StringBuilder();
        script.AppendLine("*nat");
        Declare(script, IptablesChains.FixedNat);
        Declare(script, rewritten.SelectMany(r => r.NatChains.Keys));
        Declare(script, deleted);
        AppendLines(script, IptablesChains.FixedNatRules());
        AppendLines(script, all.SelectMany(r => r.NatServices));
        script.AppendLine(IptablesChains.NodePortsDispatch);
        AppendLines(script, all.SelectMany(r => r.NatNodePorts));
        foreach (var (chain, rules) in rewritten.SelectMany(r => r.NatChains))
        {
            AppendLines(script, rules.Select(rule => $"-A {chain} {rule}"));
        }

        AppendLines(script, deleted.Select(chain => $"-X {chain}"));
        script.AppendLine("COMMIT");
        script.AppendLine("*filter");
        Declare(script, IptablesChains.FixedFilter);
        AppendLines(script, IptablesChains.FixedFilterRules());
        AppendLines(script, all.SelectMany(r => r.FilterServices));
        script.AppendLine("COMMIT");
        return script.ToString();
    }

    private static void Declare(StringBuilder script, IEnumerable<string> chains)
    {
        foreach (var chain in chains)
        {
            script.Append(':').Append(chain).AppendLine(" - [0:0]");
        }
    }

    private static void AppendLines(StringBuilder script, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            script.AppendLine(line);
        }
    }
}
