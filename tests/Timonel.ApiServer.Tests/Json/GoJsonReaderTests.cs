using System.Text;
using System.Text.Json;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Tests.Json;

public sealed class GoJsonReaderTests
{
    [Theory]
    [InlineData("""{"metadata":{"name":"a","name":"b"}}""", """{"metadata":{"name":"b"}}""", "metadata.name")]
    [InlineData("""{"a":1,"a":2,"a":3}""", """{"a":3}""", "a,a")]
    [InlineData("""{"spec":{"containers":[{"name":"x","image":"i","name":"y"}]}}""", """{"spec":{"containers":[{"name":"y","image":"i"}]}}""", "spec.containers[0].name")]
    [InlineData("""[{"op":"add","value":1,"value":2}]""", """[{"op":"add","value":2}]""", "[0].value")]
    [InlineData("""{"a":{"b":1},"a":{"c":2}}""", """{"a":{"c":2}}""", "a")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1,"b":2}""", "")]
    public void Parse_RepeatedKeys_LastValueKeptAndPathReported(string json, string expected, string paths)
    {
        var node = GoJsonReader.Parse(Encoding.UTF8.GetBytes(json), out var duplicates);

        Assert.Equal(expected, node!.ToJsonString());
        Assert.Equal(paths, string.Join(",", duplicates));
    }

    [Theory]
    [InlineData("""{"s":"\ud800"}""", "\uFFFD")]
    [InlineData("""{"s":"a\udc00b"}""", "a\uFFFDb")]
    [InlineData("""{"s":"\ud800\u0041"}""", "\uFFFDA")]
    [InlineData("""{"s":"\ud83d\ude00 \ud800\n"}""", "\U0001F600 \uFFFD\n")]
    [InlineData("""{"s":"é\"\\\/\b\f\r\t\ud800"}""", "é\"\\/\b\f\r\t\uFFFD")]
    public void Parse_LoneSurrogateEscape_ReplacementCharacter(string json, string expected)
    {
        var node = GoJsonReader.Parse(Encoding.UTF8.GetBytes(json), out _);

        Assert.Equal(expected, node!["s"]!.GetValue<string>());
        Assert.Contains("\"s\"", node.ToJsonString(), StringComparison.Ordinal); // writable again
    }

    [Fact]
    public void Parse_LoneSurrogateInKey_ReplacementCharacter()
    {
        var node = GoJsonReader.Parse(Encoding.UTF8.GetBytes("""{"k\ud800":1}"""), out _);

        Assert.True(node!.AsObject().ContainsKey("k\uFFFD"));
    }

    [Theory]
    [InlineData("""{"a":1}x""")]
    [InlineData("""{"a":}""")]
    [InlineData("")]
    public void Parse_NotJson_JsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => GoJsonReader.Parse(Encoding.UTF8.GetBytes(json), out _));

    [Fact]
    public void Parse_NumbersAndLiterals_KeptAsWritten()
    {
        var node = GoJsonReader.Parse(Encoding.UTF8.GetBytes("""{"i":12345678901234567890,"f":1.50,"t":true,"n":null}"""), out _);

        Assert.Equal("""{"i":12345678901234567890,"f":1.50,"t":true,"n":null}""", node!.ToJsonString());
        Assert.Equal(1.5, node["f"]!.GetValue<double>());
    }
}
