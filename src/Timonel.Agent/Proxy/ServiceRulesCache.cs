namespace Timonel.Agent.Proxy;

/// <summary>
/// The rules of each Service kept between syncs, so a sync rebuilds only the Services whose object or EndpointSlices
/// changed since the last one (upstream's ServiceChangeTracker and EndpointsChangeTracker) and the rest of the table
/// is reused as it was. A reused Service's chains keep the very same rule lists, which the diff (<see cref="NftScript"/>)
/// recognises without comparing them.
/// </summary>
public sealed class ServiceRulesCache
{
    private readonly Func<string, NftRuleset?> _build;
    private readonly Dictionary<string, NftRuleset> _byService = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="build">The rules of one Service by its "namespace/name" key; null when it no longer exists or has no proxied port.</param>
    public ServiceRulesCache(Func<string, NftRuleset?> build)
    {
        _build = build;
    }

    /// <summary>Services with rules now.</summary>
    public int Count => _byService.Count;

    /// <summary>Marks a Service ("namespace/name") to be rebuilt by the next <see cref="Desired"/>. Safe from any thread.</summary>
    public void MarkChanged(string serviceKey)
    {
        lock (_lock)
        {
            _changed.Add(serviceKey);
        }
    }

    /// <summary>
    /// The whole table's per-Service part: the changed Services rebuilt, the others as last built. Called by the
    /// sync loop only (one at a time).
    /// </summary>
    public NftRuleset Desired()
    {
        string[] changed;
        lock (_lock)
        {
            changed = [.. _changed];
            _changed.Clear();
        }

        foreach (var key in changed)
        {
            if (_build(key) is { } rules)
            {
                _byService[key] = rules;
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
}
