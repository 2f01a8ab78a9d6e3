namespace Timonel.Client.Queue;

/// <summary>The longest delay any of several limiters asks for (client-go's workqueue.TypedMaxOfRateLimiter).</summary>
public sealed class MaxOfRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly IReadOnlyList<IRateLimiter<T>> _limiters;

    public MaxOfRateLimiter(params IReadOnlyList<IRateLimiter<T>> limiters) => _limiters = limiters;

    // Every limiter is asked, not only until the longest is known: each one counts the failure.
    public TimeSpan When(T item) => _limiters.Select(l => l.When(item)).Max();

    public void Forget(T item)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(T item) => _limiters.Max(l => l.NumRequeues(item));
}
