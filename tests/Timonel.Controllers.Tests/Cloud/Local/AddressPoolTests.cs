using Timonel.Controllers.Cloud.Local;

namespace Timonel.Controllers.Tests.Cloud.Local;

public sealed class AddressPoolTests
{
    [Theory]
    [InlineData("192.0.2.0/29", "192.0.2.1", 6)]
    [InlineData("192.0.2.8/31", "192.0.2.8", 2)]
    [InlineData("192.0.2.9/32", "192.0.2.9", 1)]
    [InlineData("192.0.2.10-192.0.2.12", "192.0.2.10", 3)]
    [InlineData(" 192.0.2.10 - 192.0.2.10 ", "192.0.2.10", 1)]
    public void Parse_CidrOrRange_GivesItsUsableAddressesFromTheLowest(string text, string first, long size)
    {
        var pool = AddressPool.Parse(text);

        Assert.Equal((first, size), (pool.Allocate("ns/a"), pool.Size));
    }

    [Theory]
    [InlineData("192.0.2.0")]
    [InlineData("192.0.2.0/33")]
    [InlineData("2001:db8::/64")]
    [InlineData("192.0.2.12-192.0.2.10")]
    [InlineData("pool")]
    public void Parse_Malformed_SaysWhatIsExpected(string text)
    {
        var error = Assert.Throws<FormatException>(() => AddressPool.Parse(text));

        Assert.Contains("invalid --lb-address-pool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_OneAddressPerHolder_ReleasedAddressesAreGivenAgain()
    {
        var pool = AddressPool.Parse("192.0.2.10-192.0.2.11");

        var a = pool.Allocate("ns/a");
        var again = pool.Allocate("ns/a");
        var b = pool.Allocate("ns/b");
        var none = pool.Allocate("ns/c");
        pool.Release("ns/a");
        var c = pool.Allocate("ns/c");

        Assert.Equal(("192.0.2.10", "192.0.2.10", "192.0.2.11", null, "192.0.2.10"), (a, again, b, none, c));
    }

    [Fact]
    public void TryTake_AddressOfAnotherOrOutsideThePool_IsRefused()
    {
        var pool = AddressPool.Parse("192.0.2.10-192.0.2.11");
        pool.Allocate("ns/a");

        Assert.False(pool.TryTake("ns/b", "192.0.2.10"));
        Assert.False(pool.TryTake("ns/b", "192.0.2.99"));
        Assert.True(pool.TryTake("ns/b", "192.0.2.11"));
        Assert.True(pool.TryTake("ns/a", "192.0.2.10"));
    }
}
