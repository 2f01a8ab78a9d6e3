namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// Per-key exponential back-off as the kubelet's flowcontrol.Backoff keeps it for container restarts and image pulls:
/// 10 s doubling to 5 min, forgotten once nothing happened for twice the maximum (so a container that ran for 10
/// minutes restarts at once again).
/// </summary>
internal sealed class Backoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Maximum = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset LastUpdate)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public Backoff(TimeProvider time) => _time = time;

    /// <summary>Whether the key's current delay, counted from <paramref name="since"/>, has not passed yet.</summary>
    public bool IsInBackOffSince(string key, DateTimeOffset since)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            return _entries.TryGetValue(key, out var entry) && !Expired(now, entry.LastUpdate) && now - since < entry.Delay;
        }
    }

    /// <summary>Whether the key's current delay, counted from its last failure, has not passed by <paramref name="at"/>.</summary>
    public bool IsInBackOffSinceUpdate(string key, DateTimeOffset at)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) && !Expired(at, entry.LastUpdate) && at - entry.LastUpdate < entry.Delay;
        }
    }

    /// <summary>The key's current delay (zero without one).</summary>
    public TimeSpan Delay(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) ? entry.Delay : TimeSpan.Zero;
        }
    }

    /// <summary>When the key's back-off, counted from its last failure, ends.</summary>
    public DateTimeOffset Until(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) ? entry.LastUpdate + entry.Delay : _time.GetUtcNow();
        }
    }

    /// <summary>Doubles the key's delay (or starts it at 10 s) as of <paramref name="at"/>.</summary>
    public void Next(string key, DateTimeOffset at)
    {
        lock (_lock)
        {
            var delay = _entries.TryGetValue(key, out var entry) && !Expired(at, entry.LastUpdate)
                ? TimeSpan.FromTicks(Math.Min(entry.Delay.Ticks * 2, Maximum.Ticks))
                : Initial;
            _entries[key] = (delay, at);
        }
    }

    /// <summary>Forgets every key that starts with <paramref name="prefix"/> (a pod's, once it is gone).</summary>
    public void Forget(string prefix)
    {
        lock (_lock)
        {
            foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    private static bool Expired(DateTimeOffset at, DateTimeOffset lastUpdate) => at - lastUpdate > 2 * Maximum;
}
