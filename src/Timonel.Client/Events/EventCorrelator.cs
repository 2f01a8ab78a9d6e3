using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// What stands between a recorder and the API server (client-go's EventCorrelator): aggregation of similar events,
/// then the log of earlier writes (a repeat becomes a patch with count + 1), then the spam filter.
/// </summary>
internal sealed class EventCorrelator
{
    /// <summary>maxLruCacheEntries.</summary>
    public const int CacheSize = 4096;

    private readonly EventAggregator _aggregator;
    private readonly EventLogger _logger;
    private readonly EventSpamFilter _filter;

    public EventCorrelator(TimeProvider time)
    {
        _aggregator = new EventAggregator(CacheSize, EventAggregator.DefaultMaxEvents, EventAggregator.DefaultMaxInterval, time);
        _logger = new EventLogger(CacheSize);
        _filter = new EventSpamFilter(CacheSize, EventSpamFilter.DefaultBurst, EventSpamFilter.DefaultPerSecond, time);
    }

    /// <summary>EventCorrelate: null when the event is dropped as spam; else the event and, for a repeat, its patch.</summary>
    public (Corev1Event Event, string? Patch)? Correlate(Corev1Event newEvent)
    {
        var (aggregate, key) = _aggregator.Aggregate(newEvent);
        var (observed, patch) = _logger.Observe(aggregate, key);
        return _filter.Filter(observed) ? null : (observed, patch);
    }

    /// <summary>UpdateState: remembers the name and resourceVersion the server gave what was written.</summary>
    public void Update(Corev1Event written) => _logger.Update(written);
}
