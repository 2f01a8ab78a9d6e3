namespace Timonel.Controllers.DaemonSet;

/// <summary>
/// How long to wait before deleting the next failed daemon pod on a node (upstream's failedPodsBackoff, a client-go
/// flowcontrol.Backoff of 1 s doubling to 15 min), so a DaemonSet fighting a node that keeps failing its pods does
/// not hot-loop. Keyed by DaemonSet UID, observed generation and node, so a new template starts afresh.
/// </summary>
internal sealed class FailedPodsBackoff
{
    /// <summary>upstream's NewDaemonSetsController: flowcontrol.NewBackOff(1*time.Second, 15*time.Minute).</summary>
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Max = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset LastUpdate)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>IsInBackOffSinceUpdate: the last failure's delay has not passed yet.</summary>
    public bool InBackoff(string key, DateTimeOffset now, out TimeSpan delay)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && now - entry.LastUpdate < entry.Delay)
            {
                delay = entry.Delay;
                return true;
            }

            delay = TimeSpan.Zero;
            return false;
        }
    }

    /// <summary>Next: 1 s for a new (or long expired) key, else twice the last delay, at most 15 min.</summary>
    public void Next(string key, DateTimeOffset now)
    {
        lock (_lock)
        {
            var delay = _entries.TryGetValue(key, out var entry) && now - entry.LastUpdate <= 2 * Max
                ? TimeSpan.FromTicks(Math.Min(entry.Delay.Ticks * 2, Max.Ticks))
                : Initial;
            _entries[key] = (delay, now);

            // GC: entries idle for twice the maximum are as good as new (upstream's periodic failedPodsBackoff.GC).
            if (_entries.Count > 1024)
            {
                foreach (var stale in _entries.Where(e => now - e.Value.LastUpdate > 2 * Max).Select(e => e.Key).ToList())
                {
                    _entries.Remove(stale);
                }
            }
        }
    }

    public static string Key(k8s.Models.V1DaemonSet ds, string nodeName) =>
        $"{ds.Metadata.Uid}/{ds.Status?.ObservedGeneration ?? 0}/{nodeName}";
}
