namespace Timonel.Client.Queue;

/// <summary>
/// Per-item exponential backoff: base, 2 × base, 4 × base... capped at a maximum, reset by <see cref="Forget"/>
/// (client-go's workqueue.TypedItemExponentialFailureRateLimiter).
/// </summary>
public sealed class ItemExponentialFailureRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<T, int> _failures = [];
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public ItemExponentialFailureRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    public TimeSpan When(T item)
    {
        int exponent;
        lock (_lock)
        {
            exponent = _failures.GetValueOrDefault(item);
            _failures[item] = exponent + 1;
        }

        // Computed in floating point so a long run of failures saturates at the maximum instead of overflowing.
        var backoff = _baseDelay.Ticks * Math.Pow(2, exponent);
        return backoff >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)backoff);
    }

    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}
