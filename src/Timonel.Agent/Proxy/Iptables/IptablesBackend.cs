using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Proxy.Iptables;

/// <summary>
/// kube-proxy's iptables mode on iptables-nft, where nftables' own command is unavailable: each Service's rules built
/// once and kept until it changes, written by <see cref="IptablesRulesWriter"/>.
/// </summary>
public sealed class IptablesBackend : IProxyBackend
{
    private readonly IptablesRuleBuilder _builder;
    private readonly IptablesRulesWriter _writer;
    private readonly Dictionary<string, IptablesRuleset> _byService = new(StringComparer.Ordinal);

    public IptablesBackend(IIptables iptables, string? clusterCidr, ILogger logger)
    {
        _builder = new IptablesRuleBuilder(clusterCidr);
        _writer = new IptablesRulesWriter(iptables, logger);
    }

    public string Mode => "iptables";

    public Task SyncAsync(IReadOnlyDictionary<string, IReadOnlyList<ServicePortEndpoints>> changed, CancellationToken cancellationToken)
    {
        foreach (var (key, ports) in changed)
        {
            if (ports.Count > 0)
            {
                _byService[key] = _builder.Build(ports);
            }
            else
            {
                _byService.Remove(key);
            }
        }

        return _writer.SyncAsync(_byService, cancellationToken);
    }

    public string Describe() => $"{_writer.ChainCount} per-Service chains in iptables-nft's nat table";
}
