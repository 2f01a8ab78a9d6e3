using System.Text.Json.Nodes;
using Timonel.Api.Quantities;

namespace Timonel.Api.Tests.Quantities;

public sealed class IntOrStringTests
{
    [Theory]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("100%", 3, false, 3)]
    [InlineData("0%", 3, true, 0)]
    public void GetScaledValue_Percent_Rounds(string percent, int total, bool roundUp, int expected)
    {
        Assert.Equal(expected, IntOrString.FromString(percent).GetScaledValue(total, roundUp));
    }

    [Fact]
    public void GetScaledValue_Int_ReturnsInt()
    {
        Assert.Equal(5, IntOrString.FromInt(5).GetScaledValue(100, true));
    }

    [Fact]
    public void GetScaledValue_StringWithoutPercent_UpstreamError()
    {
        var error = Assert.Throws<FormatException>(() => IntOrString.FromString("5").GetScaledValue(10, true));
        Assert.Equal("invalid value for IntOrString: invalid type: string is not a percentage", error.Message);
    }

    [Fact]
    public void GetScaledValue_BadPercent_UpstreamError()
    {
        var error = Assert.Throws<FormatException>(() => IntOrString.FromString("x%").GetScaledValue(10, true));
        Assert.Equal("invalid value for IntOrString: invalid value \"x%\": strconv.Atoi: parsing \"x\": invalid syntax", error.Message);
    }

    [Fact]
    public void FromJson_RoundTrips()
    {
        Assert.Equal("8080", IntOrString.FromJson(JsonNode.Parse("8080")!).ToJson().ToJsonString());
        Assert.Equal("\"http\"", IntOrString.FromJson(JsonNode.Parse("\"http\"")!).ToJson().ToJsonString());
        Assert.Throws<FormatException>(() => IntOrString.FromJson(JsonNode.Parse("true")!));
    }
}
