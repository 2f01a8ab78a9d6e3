using Timonel.Client.Queue;

namespace Timonel.Client.Tests.Queue;

public sealed class ItemExponentialFailureRateLimiterTests
{
    private readonly ItemExponentialFailureRateLimiter<string> _limiter = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

    [Fact]
    public void When_RepeatedFailures_DoublesFromFiveMilliseconds()
    {
        var delays = Enumerable.Range(0, 5).Select(_ => _limiter.When("a").TotalMilliseconds);

        Assert.Equal([5, 10, 20, 40, 80], delays);
        Assert.Equal(5, _limiter.NumRequeues("a"));
    }

    [Theory]
    [InlineData(17, 655.36)]
    [InlineData(18, 1000)]
    [InlineData(200, 1000)]
    public void When_ManyFailures_CappedAtOneThousandSeconds(int earlierFailures, double seconds)
    {
        for (var i = 0; i < earlierFailures; i++)
        {
            _limiter.When("a");
        }

        Assert.Equal(seconds, _limiter.When("a").TotalSeconds, precision: 6);
    }

    [Fact]
    public void Forget_AfterFailures_StartsAgainFromFiveMilliseconds()
    {
        _limiter.When("a");
        _limiter.When("a");

        _limiter.Forget("a");

        Assert.Equal(0, _limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), _limiter.When("a"));
    }

    [Fact]
    public void When_OtherKeysFailing_EachKeyHasItsOwnBackoff()
    {
        _limiter.When("a");
        _limiter.When("a");

        Assert.Equal(TimeSpan.FromMilliseconds(5), _limiter.When("b"));
    }
}
