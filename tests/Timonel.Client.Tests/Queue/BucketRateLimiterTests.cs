using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Queue;

namespace Timonel.Client.Tests.Queue;

public sealed class BucketRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly BucketRateLimiter<string> _limiter;

    public BucketRateLimiterTests() => _limiter = new BucketRateLimiter<string>(10, 100, _clock);

    [Fact]
    public void When_WithinTheBurst_NoDelay()
    {
        var delays = Enumerable.Range(0, 100).Select(i => _limiter.When($"key-{i}")).Distinct();

        Assert.Equal([TimeSpan.Zero], delays);
    }

    [Fact]
    public void When_BurstSpent_EachRetryWaitsATenthOfASecondMore()
    {
        for (var i = 0; i < 100; i++)
        {
            _limiter.When($"key-{i}");
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), _limiter.When("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), _limiter.When("y"));
    }

    [Fact]
    public void When_TimePassed_BucketRefillsTenTokensASecond()
    {
        for (var i = 0; i < 102; i++)
        {
            _limiter.When($"key-{i}");
        }

        // Two tokens owed, ten earned: eight retries go at once, the ninth waits.
        _clock.Advance(TimeSpan.FromSeconds(1));
        var delays = Enumerable.Range(0, 9).Select(i => _limiter.When($"later-{i}")).ToList();

        Assert.Equal(Enumerable.Repeat(TimeSpan.Zero, 8), delays[..8]);
        Assert.Equal(TimeSpan.FromMilliseconds(100), delays[8]);
    }

    [Fact]
    public void NumRequeues_CountsNoFailures()
    {
        _limiter.When("a");

        Assert.Equal(0, _limiter.NumRequeues("a"));
    }
}
