using Timonel.ApiServer.Overload;

namespace Timonel.ApiServer.Tests.Overload;

public sealed class WatchLimiterTests
{
    [Fact]
    public void TryOpen_UserAtTheLimit_IsRefusedWhileOthersAreNot()
    {
        var limiter = new WatchLimiter(2);
        var first = limiter.TryOpen("alice");
        using var second = limiter.TryOpen("alice");

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(limiter.TryOpen("alice"));
        using var other = limiter.TryOpen("bob");
        Assert.NotNull(other);

        first!.Dispose();
        first.Dispose();
        using var again = limiter.TryOpen("alice");
        Assert.NotNull(again);
        Assert.Equal(2, limiter.OpenFor("alice"));
    }

    [Fact]
    public void TryOpen_AllClosed_ForgetsTheUser()
    {
        var limiter = new WatchLimiter(5);

        limiter.TryOpen("alice")!.Dispose();

        Assert.Equal(0, limiter.OpenFor("alice"));
    }
}
