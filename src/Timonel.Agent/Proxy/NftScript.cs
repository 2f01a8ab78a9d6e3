using System.Text;

namespace Timonel.Agent.Proxy;

/// <summary>
/// Writes the nft script (one transaction for <c>nft -f -</c>) that turns the table from what was applied into what
/// is wanted. Hand-written text: no .NET library speaks nftables' netlink protocol, and the nft command's own
/// language is what upstream's knftables writes too.
/// </summary>
public static class NftScript
{
    /// <summary>
    /// The whole table: the fixed part, every map flushed and refilled, every wanted chain flushed and rewritten.
    /// Without <paramref name="applied"/> (the first sync of a process) the table is deleted first, so nothing from a
    /// previous run survives; with it, chains no longer wanted are flushed and returned as stale.
    /// </summary>
    public static string Full(NftRuleset? applied, NftRuleset desired, out IReadOnlyList<string> stale)
    {
        var script = new StringBuilder();
        if (applied is null)
        {
            // "add" first: deleting a table that does not exist fails the whole transaction.
            script.Append("add table ").AppendLine(ProxyTable.Qualified);
            script.Append("delete table ").AppendLine(ProxyTable.Qualified);
        }

        foreach (var line in ProxyTable.Skeleton())
        {
            script.AppendLine(line);
        }

        AddSets(script, desired.AffinitySets.Keys, desired);
        foreach (var chain in desired.Chains.Keys)
        {
            script.Append("add chain ").Append(ProxyTable.Qualified).Append(' ').AppendLine(chain);
            script.Append("flush chain ").Append(ProxyTable.Qualified).Append(' ').AppendLine(chain);
        }

        foreach (var (chain, rules) in desired.Chains)
        {
            AddRules(script, chain, rules);
        }

        foreach (var map in ProxyTable.Maps)
        {
            script.Append("flush map ").Append(ProxyTable.Qualified).Append(' ').AppendLine(map.Name);
            AddElements(script, map.Name, desired.Maps[map.Name]);
        }

        var gone = applied is null ? [] : applied.Chains.Keys.Where(c => !desired.Chains.ContainsKey(c)).ToList();
        FlushChains(script, gone);
        if (applied is not null)
        {
            DeleteSets(script, applied.AffinitySets.Keys.Where(s => !desired.AffinitySets.ContainsKey(s)));
        }

        stale = gone;
        return script.ToString();
    }

    /// <summary>
    /// Only what changed: new affinity sets and chains added, changed chains flushed and rewritten, map elements
    /// deleted and added one by one, chains no longer wanted flushed (and returned as stale: the kernel may still
    /// see them referenced for a moment, so they are deleted by a later sync), affinity sets no longer wanted deleted.
    /// <paramref name="deleteChains"/> are stale chains old enough to delete now. Empty when nothing changed.
    /// </summary>
    public static string Partial(NftRuleset applied, NftRuleset desired, IEnumerable<string> deleteChains, out IReadOnlyList<string> stale)
    {
        var script = new StringBuilder();
        AddSets(script, desired.AffinitySets.Keys.Where(s => !applied.AffinitySets.ContainsKey(s)), desired);

        var added = desired.Chains.Keys.Where(c => !applied.Chains.ContainsKey(c)).ToList();
        // A Service not rebuilt since (NftablesBackend) hands over the same lists: no need to compare their rules.
        var changed = desired.Chains.Where(c => applied.Chains.TryGetValue(c.Key, out var old) && !ReferenceEquals(old, c.Value) && !old.SequenceEqual(c.Value)).Select(c => c.Key).ToList();
        foreach (var chain in added)
        {
            script.Append("add chain ").Append(ProxyTable.Qualified).Append(' ').AppendLine(chain);
        }

        FlushChains(script, changed);
        foreach (var chain in added.Concat(changed))
        {
            AddRules(script, chain, desired.Chains[chain]);
        }

        foreach (var map in ProxyTable.Maps)
        {
            var before = applied.Maps[map.Name];
            var after = desired.Maps[map.Name];
            // A changed value is deleted then added: "add" leaves an existing key's value as it was.
            var removed = before.Where(e => !after.TryGetValue(e.Key, out var value) || value != e.Value).Select(e => e.Key).ToList();
            if (removed.Count > 0)
            {
                script.Append("delete element ").Append(ProxyTable.Qualified).Append(' ').Append(map.Name).Append(" { ");
                script.AppendJoin(", ", removed).AppendLine(" }");
            }

            AddElements(script, map.Name, after.Where(e => !before.TryGetValue(e.Key, out var value) || value != e.Value));
        }

        var gone = applied.Chains.Keys.Where(c => !desired.Chains.ContainsKey(c)).ToList();
        FlushChains(script, gone);
        DeleteSets(script, applied.AffinitySets.Keys.Where(s => !desired.AffinitySets.ContainsKey(s)));
        foreach (var chain in deleteChains.Where(c => !desired.Chains.ContainsKey(c)))
        {
            script.Append("delete chain ").Append(ProxyTable.Qualified).Append(' ').AppendLine(chain);
        }

        stale = gone;
        return script.ToString();
    }

    private static void AddSets(StringBuilder script, IEnumerable<string> sets, NftRuleset desired)
    {
        foreach (var set in sets)
        {
            // "dynamic": the rules update it; created without it, some kernels add it and a later add would differ.
            script.Append("add set ").Append(ProxyTable.Qualified).Append(' ').Append(set)
                .Append(" { type ipv4_addr ; flags dynamic,timeout ; timeout ").Append(desired.AffinitySets[set]).AppendLine("s ; }");
        }
    }

    private static void DeleteSets(StringBuilder script, IEnumerable<string> sets)
    {
        foreach (var set in sets)
        {
            script.Append("delete set ").Append(ProxyTable.Qualified).Append(' ').AppendLine(set);
        }
    }

    private static void FlushChains(StringBuilder script, IEnumerable<string> chains)
    {
        foreach (var chain in chains)
        {
            script.Append("flush chain ").Append(ProxyTable.Qualified).Append(' ').AppendLine(chain);
        }
    }

    private static void AddRules(StringBuilder script, string chain, IReadOnlyList<string> rules)
    {
        foreach (var rule in rules)
        {
            script.Append("add rule ").Append(ProxyTable.Qualified).Append(' ').Append(chain).Append(' ').AppendLine(rule);
        }
    }

    private static void AddElements(StringBuilder script, string map, IEnumerable<KeyValuePair<string, string>> elements)
    {
        var any = false;
        foreach (var (key, value) in elements)
        {
            script.Append(any ? ", " : $"add element {ProxyTable.Qualified} {map} {{ ").Append(key).Append(" : ").Append(value);
            any = true;
        }

        if (any)
        {
            script.AppendLine(" }");
        }
    }
}
