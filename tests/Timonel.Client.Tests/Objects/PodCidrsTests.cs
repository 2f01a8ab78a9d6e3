using Timonel.Client.Objects;

namespace Timonel.Client.Tests.Objects;

public sealed class PodCidrsTests
{
    [Fact]
    public void Pick_SomeTaken_TheFirstFreeSlash24() =>
        Assert.Equal("10.42.2.0/24", PodCidrs.Pick("10.42.0.0/16", ["10.42.0.0/24", "10.42.1.0/24", "10.42.3.0/24"]));

    [Fact]
    public void Pick_AllTaken_Null() =>
        Assert.Null(PodCidrs.Pick("10.42.7.0/24", ["10.42.7.0/24"]));

    [Fact]
    public void Pick_NotIPv4_ClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => PodCidrs.Pick("fd00::/64", []));
        Assert.Contains("cluster CIDR \"fd00::/64\" must be an IPv4 range", error.Message, StringComparison.Ordinal);
    }
}
