namespace Timonel.Client.Queue;

/// <summary>How long an item waits before it is retried (client-go's workqueue.TypedRateLimiter).</summary>
public interface IRateLimiter<in T>
    where T : notnull
{
    /// <summary>The delay before <paramref name="item"/> is retried; each call counts one more failure of it.</summary>
    TimeSpan When(T item);

    /// <summary>Stops tracking <paramref name="item"/>: it succeeded, or gave up; its next failure starts afresh.</summary>
    void Forget(T item);

    /// <summary>How many failures of <paramref name="item"/> have been counted since it was last forgotten.</summary>
    int NumRequeues(T item);
}
