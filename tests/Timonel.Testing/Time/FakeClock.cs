using Microsoft.Extensions.Time.Testing;

namespace Timonel.Testing.Time;

/// <summary>What tests of delays ask a fake clock: is it still waiting just before it is due, and done when due?</summary>
public static class FakeClock
{
    /// <summary>
    /// Advances <paramref name="clock"/> to a millisecond before <paramref name="due"/> (from now) and then to it,
    /// reading <paramref name="read"/> at both points: (Before, At).
    /// </summary>
    public static (T Before, T At) ReadBeforeAndAt<T>(this FakeTimeProvider clock, TimeSpan due, Func<T> read)
    {
        var justBefore = due - TimeSpan.FromMilliseconds(1);
        clock.Advance(justBefore);
        var before = read();
        clock.Advance(due - justBefore);
        return (before, read());
    }
}
