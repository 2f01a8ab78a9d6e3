using Timonel.ApiServer.Overload;

namespace Timonel.ApiServer.Tests.Overload;

public sealed class InflightLimiterTests
{
    [Fact]
    public void TryEnter_PoolFull_RefusesUntilASlotIsReleased()
    {
        var limiter = new InflightLimiter(maxReadOnly: 1, maxMutating: 1);
        var held = limiter.TryEnter("create");

        Assert.NotNull(held);
        Assert.Null(limiter.TryEnter("patch"));
        held!.Dispose();
        held.Dispose();
        using var next = limiter.TryEnter("delete");
        Assert.NotNull(next);
        Assert.Equal(1, limiter.MutatingInFlight);
    }

    [Fact]
    public void TryEnter_ReadsAndWrites_CountInSeparatePools()
    {
        // maxinflight.go: get, list and watch are the non-mutating verbs; everything else mutates.
        var limiter = new InflightLimiter(maxReadOnly: 1, maxMutating: 1);
        using var read = limiter.TryEnter("list");
        using var write = limiter.TryEnter("update");

        Assert.NotNull(read);
        Assert.NotNull(write);
        Assert.Null(limiter.TryEnter("get"));
        Assert.Null(limiter.TryEnter("deletecollection"));
    }

    [Fact]
    public void TryEnter_ZeroLimit_NeverRefuses()
    {
        var limiter = new InflightLimiter(maxReadOnly: 0, maxMutating: 0);

        Assert.All(Enumerable.Range(0, 1000).Select(_ => limiter.TryEnter("create")), Assert.NotNull);
    }

    [Theory]
    [InlineData("watch", null, true)]
    [InlineData("proxy", null, true)]
    [InlineData("get", "log", true)]
    [InlineData("create", "exec", true)]
    [InlineData("get", "attach", true)]
    [InlineData("create", "portforward", true)]
    [InlineData("list", null, false)]
    [InlineData("get", "status", false)]
    public void LongRunning_VerbsAndSubresources_AreUpstreamsBasicCheck(string verb, string? subresource, bool expected)
    {
        Assert.Equal(expected, LongRunning.Is(verb, subresource));
    }
}
