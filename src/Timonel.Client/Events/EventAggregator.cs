using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// Folds events that differ only in message into one aggregate (client-go's EventAggregator, events_cache.go): when
/// more than <c>maxEvents</c> distinct messages of one source, object, type and reason arrive within
/// <c>maxInterval</c> of each other, the next are replaced by one event whose message is
/// "(combined from similar events): &lt;message&gt;", keyed so that later ones update it rather than add rows.
/// </summary>
internal sealed class EventAggregator
{
    /// <summary>defaultAggregateMaxEvents.</summary>
    public const int DefaultMaxEvents = 10;

    /// <summary>defaultAggregateIntervalInSeconds.</summary>
    public static readonly TimeSpan DefaultMaxInterval = TimeSpan.FromSeconds(600);

    private readonly Lock _lock = new();
    private readonly LruCache<Record> _cache;
    private readonly int _maxEvents;
    private readonly TimeSpan _maxInterval;
    private readonly TimeProvider _time;

    public EventAggregator(int cacheSize, int maxEvents, TimeSpan maxInterval, TimeProvider time)
    {
        _cache = new LruCache<Record>(cacheSize);
        _maxEvents = maxEvents;
        _maxInterval = maxInterval;
        _time = time;
    }

    /// <summary>The event to write (the one given, or an aggregate) and the key that correlates it with earlier writes.</summary>
    public (Corev1Event Event, string Key) Aggregate(Corev1Event newEvent)
    {
        var now = _time.GetUtcNow();
        var eventKey = EventKeys.Event(newEvent);
        var (aggregateKey, localKey) = EventKeys.AggregateByReason(newEvent);
        lock (_lock)
        {
            // A record unseen for longer than the interval starts afresh (a missing one is infinitely old).
            if (!_cache.TryGet(aggregateKey, out var record) || now - record.LastTimestamp > _maxInterval)
            {
                record = new Record(new HashSet<string>(StringComparer.Ordinal), now);
            }

            record.LocalKeys.Add(localKey);
            record = record with { LastTimestamp = now };
            _cache.Add(aggregateKey, record);
            if (record.LocalKeys.Count < _maxEvents)
            {
                return (newEvent, eventKey);
            }

            // Upstream pops any one key so the set never grows past the maximum.
            record.LocalKeys.Remove(record.LocalKeys.First());
            var aggregate = new Corev1Event
            {
                ApiVersion = "v1",
                Kind = "Event",
                Metadata = new V1ObjectMeta { Name = EventNames.For(newEvent.InvolvedObject.Name, now), NamespaceProperty = newEvent.Metadata.NamespaceProperty },
                Count = 1,
                FirstTimestamp = now.UtcDateTime,
                LastTimestamp = now.UtcDateTime,
                InvolvedObject = newEvent.InvolvedObject,
                Message = "(combined from similar events): " + newEvent.Message,
                Type = newEvent.Type,
                Reason = newEvent.Reason,
                Source = newEvent.Source,
            };
            return (aggregate, aggregateKey);
        }
    }

    private sealed record Record(HashSet<string> LocalKeys, DateTimeOffset LastTimestamp);
}
