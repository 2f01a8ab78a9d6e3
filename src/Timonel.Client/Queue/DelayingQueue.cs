namespace Timonel.Client.Queue;

/// <summary>
/// A <see cref="WorkQueue{T}"/> that can also add a key later (client-go's workqueue delaying queue). Delays run on
/// the injected <see cref="TimeProvider"/>'s timer, so a test's fake clock fires them. A key already waiting keeps
/// the earlier of its two times.
/// </summary>
public class DelayingQueue<T> : WorkQueue<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    // When each waiting key is due; the heap may also hold stale entries for a key whose time moved earlier.
    private readonly Dictionary<T, long> _readyAt = [];
    private readonly PriorityQueue<T, long> _byReadyAt = new();
    private bool _stopped;

    public DelayingQueue(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(_ => AddReady(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many keys wait for their delay to pass.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _readyAt.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="item"/> once <paramref name="delay"/> has passed (at once when it is not positive).</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (ShuttingDown)
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            // Rounded up: a key may come a tick late, never early.
            var readyAt = _time.GetTimestamp() + (long)Math.Ceiling(delay.TotalSeconds * _time.TimestampFrequency);
            if (_readyAt.TryGetValue(item, out var existing) && existing <= readyAt)
            {
                return;
            }

            _readyAt[item] = readyAt;
            _byReadyAt.Enqueue(item, readyAt);
            if (_byReadyAt.TryPeek(out _, out var earliest) && earliest == readyAt)
            {
                Arm(readyAt);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _timer.Dispose();
        }
    }

    protected override void OnShutDown()
    {
        lock (_lock)
        {
            _stopped = true;
            _readyAt.Clear();
            _byReadyAt.Clear();
            _timer.Dispose();
        }
    }

    /// <summary>Moves every key whose time has come to the queue, then sets the timer for the next one.</summary>
    private void AddReady()
    {
        var ready = new List<T>();
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var now = _time.GetTimestamp();
            while (_byReadyAt.TryPeek(out var item, out var readyAt))
            {
                if (_readyAt.GetValueOrDefault(item) != readyAt)
                {
                    _byReadyAt.Dequeue();
                    continue;
                }

                if (readyAt > now)
                {
                    Arm(readyAt);
                    break;
                }

                _byReadyAt.Dequeue();
                _readyAt.Remove(item);
                ready.Add(item);
            }
        }

        foreach (var item in ready)
        {
            Add(item);
        }
    }

    private void Arm(long readyAt)
    {
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), readyAt);
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }
}
