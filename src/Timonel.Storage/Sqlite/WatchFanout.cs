namespace Timonel.Storage.Sqlite;

/// <summary>
/// Hands committed events to watchers in revision order and keeps the most recent ones in a ring buffer, so
/// a watch that starts slightly in the past (the usual list-then-watch) needs no table read. A new subscriber is
/// registered under the same lock that publishes, which is what makes replay + live feed gap-free.
/// </summary>
internal sealed class WatchFanout(int capacity, long lastRevision)
{
    private readonly Lock _lock = new();
    private readonly WatchEvent[] _ring = new WatchEvent[Math.Max(1, capacity)];
    private readonly List<WatchSubscription> _subscribers = [];
    private int _head;
    private int _count;
    private long _lastRevision = lastRevision;
    private bool _closed;

    public void Publish(IReadOnlyList<WatchEvent> events)
    {
        lock (_lock)
        {
            foreach (var watchEvent in events)
            {
                _ring[(_head + _count) % _ring.Length] = watchEvent;
                if (_count < _ring.Length)
                {
                    _count++;
                }
                else
                {
                    _head = (_head + 1) % _ring.Length;
                }

                _lastRevision = watchEvent.Revision;
                foreach (var subscriber in _subscribers)
                {
                    if (watchEvent.Revision > subscriber.AfterRevision && watchEvent.Current.Key.StartsWith(subscriber.Prefix, StringComparison.Ordinal))
                    {
                        subscriber.Events.Writer.TryWrite(watchEvent);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Queues a progress mark at the last published revision behind whatever each live watcher has queued, so it
    /// arrives after every event up to that revision.
    /// </summary>
    public void RequestProgress()
    {
        lock (_lock)
        {
            var progress = WatchEvent.Progress(_lastRevision);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Events.Writer.TryWrite(progress);
            }
        }
    }

    public WatchSubscription Subscribe(string prefix, long afterRevision)
    {
        var subscription = new WatchSubscription(prefix, afterRevision);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var oldest = _count > 0 ? _ring[_head].Revision : _lastRevision + 1;
            if (afterRevision >= _lastRevision || oldest <= afterRevision + 1)
            {
                for (var i = 0; i < _count; i++)
                {
                    var buffered = _ring[(_head + i) % _ring.Length];
                    if (buffered.Revision > afterRevision && buffered.Current.Key.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        subscription.Events.Writer.TryWrite(buffered);
                    }
                }
            }
            else
            {
                subscription.ReplayUntil = _lastRevision;
            }

            _subscribers.Add(subscription);
        }

        return subscription;
    }

    public void Unsubscribe(WatchSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }
    }

    /// <summary>Ends every watch (their enumerations finish) and refuses new ones.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Events.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }
}
