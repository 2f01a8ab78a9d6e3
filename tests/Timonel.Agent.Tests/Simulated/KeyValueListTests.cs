using Timonel.Agent.Simulated;

namespace Timonel.Agent.Tests.Simulated;

public sealed class KeyValueListTests
{
    [Fact]
    public void Parse_Pairs_Dictionary() =>
        Assert.Equal(new Dictionary<string, string> { ["cpu"] = "8", ["memory"] = "32Gi" }, KeyValueList.Parse("cpu=8, memory=32Gi"));

    [Theory]
    [InlineData("cpu")]
    [InlineData("=4")]
    public void Parse_NotKeyValue_Throws(string text) => Assert.Throws<FormatException>(() => KeyValueList.Parse(text));
}
