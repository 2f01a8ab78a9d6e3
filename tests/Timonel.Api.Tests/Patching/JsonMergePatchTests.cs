using System.Text.Json.Nodes;
using Timonel.Api.Patching;

namespace Timonel.Api.Tests.Patching;

public sealed class JsonMergePatchTests
{
    // RFC 7386 appendix A examples.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    [InlineData("""{"metadata":{"labels":{"a":"1","b":"2"}}}""", """{"metadata":{"labels":{"a":null,"c":"3"}}}""", """{"metadata":{"labels":{"b":"2","c":"3"}}}""")]
    public void Apply_Rfc7386Examples(string original, string patch, string expected)
    {
        JsonAssert.Equal(expected, JsonMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch)));
    }

    [Fact]
    public void Apply_DoesNotMutateInputs()
    {
        var original = JsonNode.Parse("""{"a":{"b":1}}""");
        var patch = JsonNode.Parse("""{"a":{"c":2}}""");
        JsonMergePatch.Apply(original, patch);
        JsonAssert.Equal("""{"a":{"b":1}}""", original);
        JsonAssert.Equal("""{"a":{"c":2}}""", patch);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("5")]
    [InlineData("\"x\"")]
    public void Apply_ScalarPatch_InvalidJsonPatch(string patch)
    {
        var error = Assert.Throws<PatchException>(() => JsonMergePatch.Apply(JsonNode.Parse("{}"), JsonNode.Parse(patch)));
        Assert.Equal("Invalid JSON Patch", error.Message);
    }
}
