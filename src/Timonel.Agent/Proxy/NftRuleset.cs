namespace Timonel.Agent.Proxy;

/// <summary>
/// The per-Service part of the proxy's table as data: regular chains with their rules, the dispatch maps' elements
/// and the session-affinity sets. Two of them are compared to write only the difference (<see cref="NftScript"/>).
/// The fixed part (base chains, maps' definitions, dispatch rules) is <see cref="ProxyTable"/>.
/// </summary>
public sealed class NftRuleset
{
    /// <summary>Chain name → its rules in order.</summary>
    public Dictionary<string, IReadOnlyList<string>> Chains { get; } = new(StringComparer.Ordinal);

    /// <summary>Map name → element key → value (a verdict), for the maps <see cref="ProxyTable.Maps"/> defines.</summary>
    public Dictionary<string, Dictionary<string, string>> Maps { get; } = ProxyTable.Maps.ToDictionary(m => m.Name, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Affinity set name → its entries' timeout in seconds.</summary>
    public Dictionary<string, int> AffinitySets { get; } = new(StringComparer.Ordinal);

    public int ElementCount => Maps.Values.Sum(m => m.Count);

    public void AddElement(string map, string key, string value) => Maps[map][key] = value;

    /// <summary>Adds another ruleset's chains, elements and sets (one Service's into the whole table's); the rule lists are shared, not copied.</summary>
    public void Add(NftRuleset other)
    {
        foreach (var (chain, rules) in other.Chains)
        {
            Chains[chain] = rules;
        }

        foreach (var (map, elements) in other.Maps)
        {
            var into = Maps[map];
            foreach (var (key, value) in elements)
            {
                into[key] = value;
            }
        }

        foreach (var (set, timeout) in other.AffinitySets)
        {
            AffinitySets[set] = timeout;
        }
    }
}
