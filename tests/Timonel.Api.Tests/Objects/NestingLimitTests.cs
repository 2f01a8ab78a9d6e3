using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.Api.Tests.Objects;

public sealed class NestingLimitTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(512, false)]
    [InlineData(513, true)]
    [InlineData(2000, true)]
    public void Exceeded_NestedArraysUnderAnObject_CountsEveryLevel(int levels, bool exceeded)
    {
        // The object is the first level, arrays below it the others; the innermost holds a scalar.
        JsonNode inner = JsonValue.Create(1);
        for (var i = 0; i < levels - 1; i++)
        {
            inner = new JsonArray(inner);
        }

        var obj = new JsonObject { ["a"] = levels == 0 ? JsonValue.Create(1) : inner };

        Assert.Equal(exceeded, NestingLimit.Exceeded(obj));
    }

    [Fact]
    public void YamlConverter_NestingPastTheLimit_IsRefusedWithItsLine()
    {
        var yaml = "a:\n  b: " + new string('[', 1000) + new string(']', 1000) + "\n";

        var error = Assert.Throws<YamlConversionException>(() => YamlConverter.ToJson(yaml));

        Assert.Equal("error converting YAML to JSON: yaml: line 2: exceeded max depth of 512", error.Message);
    }
}
