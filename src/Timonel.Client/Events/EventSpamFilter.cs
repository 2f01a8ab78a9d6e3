using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// Drops events past a per-source-and-object rate (client-go's EventSourceObjectSpamFilter, events_cache.go): each
/// spam key has a token bucket of <c>burst</c> tokens refilled at <c>perSecond</c>; an event finding it empty is dropped.
/// </summary>
internal sealed class EventSpamFilter
{
    /// <summary>defaultSpamBurst.</summary>
    public const int DefaultBurst = 25;

    /// <summary>defaultSpamQPS: one new event every 5 minutes.</summary>
    public const double DefaultPerSecond = 1.0 / 300.0;

    private readonly Lock _lock = new();
    private readonly LruCache<PassiveTokenBucket> _cache;
    private readonly int _burst;
    private readonly double _perSecond;
    private readonly TimeProvider _time;

    public EventSpamFilter(int cacheSize, int burst, double perSecond, TimeProvider time)
    {
        _cache = new LruCache<PassiveTokenBucket>(cacheSize);
        _burst = burst;
        _perSecond = perSecond;
        _time = time;
    }

    /// <summary>True when the event must be dropped.</summary>
    public bool Filter(Corev1Event ev)
    {
        var key = EventKeys.Spam(ev);
        lock (_lock)
        {
            if (!_cache.TryGet(key, out var bucket))
            {
                bucket = new PassiveTokenBucket(_perSecond, _burst, _time);
            }

            var drop = !bucket.TryAccept();
            _cache.Add(key, bucket);
            return drop;
        }
    }
}
