namespace Timonel.Client.Events;

/// <summary>
/// A token bucket read only when asked (client-go's flowcontrol.NewTokenBucketPassiveRateLimiterWithClock): it starts
/// full at <c>burst</c>, refills at <c>perSecond</c> up to <c>burst</c>, and <see cref="TryAccept"/> takes a token if
/// one is there. Not thread-safe: its owner locks.
/// </summary>
internal sealed class PassiveTokenBucket
{
    private readonly double _perSecond;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _last;

    public PassiveTokenBucket(double perSecond, int burst, TimeProvider time)
    {
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetUtcNow();
    }

    public bool TryAccept()
    {
        var now = _time.GetUtcNow();
        _tokens = Math.Min(_burst, _tokens + ((now - _last).TotalSeconds * _perSecond));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
