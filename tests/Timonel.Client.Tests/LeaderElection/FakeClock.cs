using Microsoft.Extensions.Time.Testing;

namespace Timonel.Client.Tests.LeaderElection;

/// <summary>Moves a fake clock in steps, letting the loops woken by each step run, until a condition holds.</summary>
internal static class FakeClock
{
    /// <summary>Advances in <paramref name="step"/>s until <paramref name="condition"/> holds; fails after <paramref name="limit"/> of fake time (and a few seconds of real time).</summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan limit)
    {
        var advanced = TimeSpan.Zero;
        while (!await SettledAsync(condition))
        {
            if (advanced >= limit)
            {
                await LastChanceAsync(condition, limit);
                return;
            }

            time.Advance(step);
            advanced += step;
        }
    }

    // The fake clock can run through its whole limit while work that needs no timer (a watch ending on another
    // thread, which a busy machine has not scheduled yet) is still on its way: give that real time before failing.
    private static async Task LastChanceAsync(Func<bool> condition, TimeSpan limit)
    {
        for (var deadline = Environment.TickCount64 + 5000; !condition() && Environment.TickCount64 < deadline;)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), $"the condition did not hold within {limit} of fake time");
    }

    // Work woken by a timer continues on the thread pool; give it a few turns before judging.
    private static async Task<bool> SettledAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Yield();
        }

        return condition();
    }
}
