using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Proxy.Iptables;

/// <summary>
/// Brings the kernel's iptables-nft rules to the wanted Services' rules, one iptables-nft-restore --noflush per sync.
/// The first sync (and the one after a failure) rewrites every chain, deletes TIMONEL- chains the kernel has but
/// nothing wants (from a previous run) and makes sure the built-in chains jump to Timonel's; later syncs rewrite only
/// the chains of Services whose rules changed, with the shared dispatch chains.
/// </summary>
public sealed class IptablesRulesWriter
{
    private readonly IIptables _iptables;
    private readonly ILogger _logger;
    private Dictionary<string, IptablesRuleset>? _applied;

    public IptablesRulesWriter(IIptables iptables, ILogger logger)
    {
        _iptables = iptables;
        _logger = logger;
    }

    /// <summary>Per-Service chains in the kernel after the last successful sync.</summary>
    public int ChainCount => _applied?.Values.Sum(r => r.NatChains.Count) ?? 0;

    /// <summary>Applies <paramref name="desired"/> ("namespace/name" → rules); a Service handing the same ruleset object as last time is unchanged.</summary>
    /// <exception cref="IptablesException">The restore was refused; the next sync rewrites everything.</exception>
    public async Task SyncAsync(IReadOnlyDictionary<string, IptablesRuleset> desired, CancellationToken cancellationToken)
    {
        var applied = _applied;
        _applied = null;
        var all = desired.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value).ToList();
        var wanted = all.SelectMany(r => r.NatChains.Keys).ToHashSet(StringComparer.Ordinal);
        string script;
        if (applied is null)
        {
            var existing = ChainsIn(await _iptables.SaveAsync("nat", cancellationToken).ConfigureAwait(false));
            script = IptablesRestoreScript.Write(all, all, existing.Where(c => !wanted.Contains(c) && !IptablesChains.FixedNat.Contains(c)));
        }
        else
        {
            if (desired.Count == applied.Count && desired.All(s => applied.TryGetValue(s.Key, out var old) && ReferenceEquals(old, s.Value)))
            {
                _applied = applied;
                return;
            }

            var rewrite = desired.Where(s => !applied.TryGetValue(s.Key, out var old) || !ReferenceEquals(old, s.Value)).Select(s => s.Value);
            var gone = applied.Values.SelectMany(r => r.NatChains.Keys).Where(c => !wanted.Contains(c)).Distinct();
            script = IptablesRestoreScript.Write(all, rewrite, gone);
        }

        await _iptables.RestoreAsync(script, cancellationToken).ConfigureAwait(false);
        if (applied is null)
        {
            await EnsureJumpsAsync(cancellationToken).ConfigureAwait(false);
        }

        _applied = new Dictionary<string, IptablesRuleset>(desired, StringComparer.Ordinal);
        _logger.LogDebug("iptables synced ({Kind}): {Services} services", applied is null ? "full" : "partial", desired.Count);
    }

    /// <summary>The jumps from the built-in chains, inserted first where missing (checked with -C, as kube-proxy does).</summary>
    private async Task EnsureJumpsAsync(CancellationToken cancellationToken)
    {
        foreach (var (table, rule) in IptablesChains.Jumps)
        {
            if (!await _iptables.RunAsync(["-t", table, "-C", .. rule], cancellationToken).ConfigureAwait(false)
                && !await _iptables.RunAsync(["-t", table, "-I", .. rule], cancellationToken).ConfigureAwait(false))
            {
                throw new IptablesException($"iptables-nft: could not insert the jump to {rule[^1]} into {table} {rule[0]}");
            }
        }
    }

    /// <summary>The TIMONEL- chains an iptables-nft-save output declares.</summary>
    public static IEnumerable<string> ChainsIn(string save) =>
        save.Split('\n')
            .Where(line => line.StartsWith(':' + IptablesChains.Prefix, StringComparison.Ordinal))
            .Select(line => line[1..].Split(' ')[0]);
}
