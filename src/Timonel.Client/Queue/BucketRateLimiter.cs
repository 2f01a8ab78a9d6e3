namespace Timonel.Client.Queue;

/// <summary>
/// An overall token bucket shared by every item (client-go's workqueue.TypedBucketRateLimiter over
/// golang.org/x/time/rate's Limiter.Reserve): a retry takes a token, the bucket refills at a steady rate up to its
/// burst, and a retry that finds it empty waits for its token. It counts no failures, so forgets nothing.
/// </summary>
public sealed class BucketRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly int _burst;
    private double _tokens;
    private long _last;

    public BucketRateLimiter(double perSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    public TimeSpan When(T item)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
            _last = now;

            // As rate.Limiter.Reserve: the token is taken now even when the bucket is empty (it goes negative), so
            // later retries queue up behind this one.
            _tokens--;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
        }
    }

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
