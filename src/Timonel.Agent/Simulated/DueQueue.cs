namespace Timonel.Agent.Simulated;

/// <summary>
/// Work items ordered by when they are due (a binary heap): thousands of nodes' renewals and pods' next steps cost
/// one entry each, not a timer or a sleeping task each. Items due at the same time come out in the order they went in.
/// </summary>
internal sealed class DueQueue<T>
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<T, (DateTimeOffset Due, long Sequence)> _items = new();
    private long _sequence;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds an item; answers true if it is now the earliest (a waiting runner must wake sooner).</summary>
    public bool Schedule(T item, DateTimeOffset due)
    {
        lock (_lock)
        {
            var earliest = !_items.TryPeek(out _, out var first) || due < first.Due;
            _items.Enqueue(item, (due, _sequence++));
            return earliest;
        }
    }

    /// <summary>Takes the earliest item if it is due at <paramref name="now"/>.</summary>
    public bool TryTakeDue(DateTimeOffset now, out T item)
    {
        lock (_lock)
        {
            if (_items.TryPeek(out item!, out var first) && first.Due <= now)
            {
                _items.Dequeue();
                return true;
            }

            item = default!;
            return false;
        }
    }

    /// <summary>When the earliest item is due; null when empty.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_lock)
        {
            return _items.TryPeek(out _, out var first) ? first.Due : null;
        }
    }
}
