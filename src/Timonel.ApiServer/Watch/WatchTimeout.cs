namespace Timonel.ApiServer.Watch;

/// <summary>How long a watch runs before the server ends it, from its timeoutSeconds (handlers/get.go ListResource).</summary>
public static class WatchTimeout
{
    /// <summary>
    /// The longest lifetime a watch gets: a timer cannot run longer than about 49 days, and upstream's own arithmetic
    /// (seconds times time.Second in an int64 of nanoseconds) stops making sense a little further out, so any larger
    /// timeoutSeconds runs for this long instead of failing the request.
    /// </summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>
    /// The requested seconds, capped at <see cref="Longest"/>; a negative value ends the watch at once, as upstream's
    /// already expired timer does; none or 0 spreads lifetimes over [min-request-timeout, 2x] (1800 s by default) so
    /// clients reconnect at different times.
    /// </summary>
    public static TimeSpan From(long? timeoutSeconds) => timeoutSeconds switch
    {
        null or 0 => TimeSpan.FromSeconds(1800 + Random.Shared.Next(1800)),
        < 0 => TimeSpan.Zero,
        var seconds => seconds.Value >= (long)Longest.TotalSeconds ? Longest : TimeSpan.FromSeconds(seconds.Value),
    };
}
