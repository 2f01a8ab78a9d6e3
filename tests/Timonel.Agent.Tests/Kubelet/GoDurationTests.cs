using Timonel.Agent.Kubelet;

namespace Timonel.Agent.Tests.Kubelet;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(10_000, "10s")]
    [InlineData(80_000, "1m20s")]
    [InlineData(300_000, "5m0s")]
    [InlineData(1_234, "1.234s")]
    [InlineData(250, "250ms")]
    [InlineData(3_723_000, "1h2m3s")]
    public void Format_Milliseconds_AsGoWritesThem(long milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
