namespace Timonel.Client.Queue;

/// <summary>The rate limiters controllers use unless they have a reason not to.</summary>
public static class RateLimiters
{
    /// <summary>
    /// client-go's workqueue.DefaultTypedControllerRateLimiter: per-item exponential backoff from 5 ms to 1000 s, and
    /// overall no more than 10 retries a second with bursts of 100.
    /// </summary>
    public static IRateLimiter<T> DefaultController<T>(TimeProvider time)
        where T : notnull => new MaxOfRateLimiter<T>(
            new ItemExponentialFailureRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<T>(10, 100, time));
}
