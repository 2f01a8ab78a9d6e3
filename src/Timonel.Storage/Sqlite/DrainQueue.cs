namespace Timonel.Storage.Sqlite;

/// <summary>
/// Work handed to one dedicated thread: producers add without waiting for the consumer, and the consumer takes
/// everything queued so far in one go (a group commit, a group fsync). The consumer's threads block in SQLite and
/// fsync calls, so they are threads of their own rather than thread-pool work; a monitor wakes them.
/// </summary>
internal sealed class DrainQueue<T>
{
    // A plain object: Monitor.Wait and Pulse need a monitor, which System.Threading.Lock does not offer.
    private readonly object _gate = new();
    private List<T> _items = [];
    private bool _completed;

    /// <summary>Queues <paramref name="item"/>; false once <see cref="Complete"/> was called.</summary>
    public bool TryAdd(T item)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            _items.Add(item);
            if (_items.Count == 1)
            {
                Monitor.Pulse(_gate);
            }

            return true;
        }
    }

    /// <summary>Refuses further items; the consumer still drains what is queued.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Blocks until something is queued and returns all of it, leaving <paramref name="spare"/> (emptied) to collect
    /// the next items, so no list is allocated per take; null once completed and drained.
    /// </summary>
    public List<T>? TakeAll(List<T> spare)
    {
        spare.Clear();
        lock (_gate)
        {
            while (_items.Count == 0)
            {
                if (_completed)
                {
                    return null;
                }

                Monitor.Wait(_gate);
            }

            var taken = _items;
            _items = spare;
            return taken;
        }
    }
}
