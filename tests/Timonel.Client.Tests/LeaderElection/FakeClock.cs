using Microsoft.Extensions.Time.Testing;

namespace Timonel.Client.Tests.LeaderElection;

/// <summary>Moves a fake clock in steps, letting the loops woken by each step run, until a condition holds.</summary>
internal static class FakeClock
{
    /// <summary>Advances in <paramref name="step"/>s until <paramref name="condition"/> holds; fails after <paramref name="limit"/> of fake time.</summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan limit)
    {
        var advanced = TimeSpan.Zero;
        while (!await SettledAsync(condition))
        {
            Assert.True(advanced < limit, $"the condition did not hold within {limit} of fake time");
            time.Advance(step);
            advanced += step;
        }
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
