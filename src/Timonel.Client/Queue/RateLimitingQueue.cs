namespace Timonel.Client.Queue;

/// <summary>
/// The queue a controller uses (client-go's workqueue.TypedRateLimitingQueue): a <see cref="DelayingQueue{T}"/>
/// whose retries wait as long as its <see cref="IRateLimiter{T}"/> says. A worker that fails on a key calls
/// <see cref="AddRateLimited"/>; one that succeeds calls <see cref="Forget"/>, so the next failure starts from the
/// shortest backoff; both call <see cref="WorkQueue{T}.Done"/>.
/// </summary>
public sealed class RateLimitingQueue<T> : DelayingQueue<T>
    where T : notnull
{
    private readonly IRateLimiter<T> _limiter;

    /// <summary>A queue with client-go's default controller rate limiter (<see cref="RateLimiters.DefaultController"/>).</summary>
    public RateLimitingQueue(TimeProvider time)
        : this(RateLimiters.DefaultController<T>(time), time)
    {
    }

    public RateLimitingQueue(IRateLimiter<T> limiter, TimeProvider time)
        : base(time) => _limiter = limiter;

    /// <summary>Adds <paramref name="item"/> again after the limiter's delay, counting one more failure of it.</summary>
    public void AddRateLimited(T item) => AddAfter(item, _limiter.When(item));

    /// <summary>Clears the failures counted for <paramref name="item"/> (it does not remove it from the queue).</summary>
    public void Forget(T item) => _limiter.Forget(item);

    public int NumRequeues(T item) => _limiter.NumRequeues(item);
}
