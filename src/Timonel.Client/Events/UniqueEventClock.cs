namespace Timonel.Client.Events;

/// <summary>
/// The instants events are named after, one nanosecond apart at least. Upstream reads a nanosecond clock and names
/// events "&lt;object&gt;.&lt;unix nanoseconds in hex&gt;"; .NET's clock ticks in 100 ns steps, so two events about
/// one object in the same tick would share a name, and the second create would be refused as AlreadyExists.
/// </summary>
internal sealed class UniqueEventClock
{
    private long _last;

    /// <summary>Unix nanoseconds of <paramref name="now"/>, or one more than the last value handed out when that is not earlier.</summary>
    public long Next(DateTimeOffset now)
    {
        var nanos = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(nanos, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
