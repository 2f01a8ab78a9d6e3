using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Proxy;

/// <summary>
/// Brings the kernel's table to a wanted <see cref="NftRuleset"/>, one nft transaction per sync: the whole table on
/// the first sync, after a failure and every <see cref="FullSyncPeriod"/> (upstream's fullSyncPeriod), otherwise
/// only the difference from what the last successful sync applied. Chains left unused are flushed at once and
/// deleted by a sync at least a second later: a kernel older than 6.2 may still count a reference from a map
/// element deleted in the same transaction.
/// </summary>
public sealed class ProxyRulesWriter
{
    /// <summary>Upstream's fullSyncPeriod.</summary>
    public static readonly TimeSpan FullSyncPeriod = TimeSpan.FromHours(1);

    private static readonly TimeSpan _staleChainAge = TimeSpan.FromSeconds(1);
    private readonly INftables _nftables;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DateTimeOffset> _staleChains = new(StringComparer.Ordinal);
    private NftRuleset? _applied;
    private DateTimeOffset _lastFullSync;
    private bool _needFullSync = true;

    public ProxyRulesWriter(INftables nftables, TimeProvider time, ILogger logger)
    {
        _nftables = nftables;
        _time = time;
        _logger = logger;
    }

    /// <summary>The table as the last successful sync left it; null before one.</summary>
    public NftRuleset? Applied => _applied;

    /// <summary>Applies <paramref name="desired"/>; on failure the next sync rewrites the whole table.</summary>
    /// <exception cref="NftablesException">nft refused the transaction.</exception>
    public async Task SyncAsync(NftRuleset desired, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var full = _needFullSync || _applied is null || now - _lastFullSync >= FullSyncPeriod;
        var deletable = _staleChains.Where(c => now - c.Value >= _staleChainAge).Select(c => c.Key).ToList();
        IReadOnlyList<string> stale;
        string script;
        if (full)
        {
            script = NftScript.Full(_needFullSync && _applied is not null ? null : _applied, desired, out stale);
            if (_applied is not null && !_needFullSync)
            {
                // A full sync from a known state keeps the stale chains it knows; their deletion waits as usual.
                script += string.Concat(deletable.Where(c => !desired.Chains.ContainsKey(c)).Select(c => $"delete chain {ProxyTable.Qualified} {c}\n"));
            }
        }
        else
        {
            script = NftScript.Partial(_applied!, desired, deletable, out stale);
        }

        if (script.Length > 0)
        {
            try
            {
                await _nftables.RunAsync(script, cancellationToken).ConfigureAwait(false);
            }
            catch (NftablesException)
            {
                // The kernel's table is not what _applied says any more (or never was): start over from scratch.
                _needFullSync = true;
                throw;
            }
        }

        if (full)
        {
            if (_needFullSync || _applied is null)
            {
                // The table was deleted and rebuilt: nothing is stale.
                _staleChains.Clear();
            }

            _lastFullSync = now;
            _needFullSync = false;
        }

        foreach (var chain in deletable)
        {
            _staleChains.Remove(chain);
        }

        foreach (var chain in desired.Chains.Keys)
        {
            _staleChains.Remove(chain);
        }

        foreach (var chain in stale)
        {
            _staleChains[chain] = now;
        }

        _applied = desired;
        _logger.LogDebug("nftables synced ({Kind}): {Chains} chains, {Elements} map elements", full ? "full" : "partial", desired.Chains.Count, desired.ElementCount);
    }
}
