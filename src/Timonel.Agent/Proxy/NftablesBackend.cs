using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Proxy;

/// <summary>
/// kube-proxy's nftables mode: each Service's chains, map elements and sets built once and kept until it changes
/// (a reused Service hands the diff the very same rule lists, which <see cref="NftScript"/> does not compare), the
/// table written by <see cref="ProxyRulesWriter"/>.
/// </summary>
public sealed class NftablesBackend : IProxyBackend
{
    private readonly ProxyRuleBuilder _builder;
    private readonly Dictionary<string, NftRuleset> _byService = new(StringComparer.Ordinal);

    public NftablesBackend(INftables nftables, string? clusterCidr, TimeProvider time, ILogger logger)
    {
        _builder = new ProxyRuleBuilder(clusterCidr);
        Writer = new ProxyRulesWriter(nftables, time, logger);
    }

    public string Mode => "nftables";

    public ProxyRulesWriter Writer { get; }

    public Task SyncAsync(IReadOnlyDictionary<string, IReadOnlyList<ServicePortEndpoints>> changed, CancellationToken cancellationToken) =>
        Writer.SyncAsync(Desired(changed), cancellationToken);

    /// <summary>The whole table's per-Service part: the changed Services rebuilt, the others as last built.</summary>
    public NftRuleset Desired(IReadOnlyDictionary<string, IReadOnlyList<ServicePortEndpoints>> changed)
    {
        foreach (var (key, ports) in changed)
        {
            if (ports.Count > 0)
            {
                _byService[key] = _builder.Build(ports.Select(p => (p.Port, p.Endpoints)));
            }
            else
            {
                _byService.Remove(key);
            }
        }

        var desired = new NftRuleset();
        foreach (var rules in _byService.Values)
        {
            desired.Add(rules);
        }

        return desired;
    }

    public string Describe() => $"{Writer.Applied?.Chains.Count ?? 0} chains in nftables table {ProxyTable.Qualified}";
}
