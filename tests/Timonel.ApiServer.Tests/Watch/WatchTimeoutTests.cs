using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Tests.Watch;

public sealed class WatchTimeoutTests
{
    [Theory]
    [InlineData(5L, 5_000L)]
    [InlineData(-1L, 0L)]
    [InlineData(long.MaxValue, int.MaxValue)]
    [InlineData(9223372036854775L, int.MaxValue)]
    public void From_RequestedSeconds_CappedToWhatATimerRuns(long seconds, long expectedMilliseconds)
    {
        var timeout = WatchTimeout.From(seconds);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), timeout);
        using var timer = new CancellationTokenSource();
        timer.CancelAfter(timeout);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public void From_NoTimeout_SpreadOverOneToTwoMinRequestTimeouts(long? seconds)
    {
        var timeout = WatchTimeout.From(seconds);

        Assert.InRange(timeout, TimeSpan.FromSeconds(1800), TimeSpan.FromSeconds(3600));
    }
}
