using System.Text.Json.Nodes;
using Timonel.Api.Quantities;

namespace Timonel.Api.Tests.Quantities;

public sealed class QuantityTests
{
    // Inputs and canonical outputs from upstream's TestQuantityParse/TestQuantityParseEmit behaviour.
    [Theory]
    [InlineData("0", "0")]
    [InlineData("00", "0")]
    [InlineData("-0", "0")]
    [InlineData("1", "1")]
    [InlineData("64Mi", "64Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("1Ki", "1Ki")]
    [InlineData("8Ki", "8Ki")]
    [InlineData("1023", "1023")]
    [InlineData("200m", "200m")]
    [InlineData("0.2", "200m")]
    [InlineData("1.5", "1500m")]
    [InlineData(".5", "500m")]
    [InlineData("1000m", "1")]
    [InlineData("1000", "1k")]
    [InlineData("1e3", "1e3")]
    [InlineData("1E3", "1E3")]
    [InlineData("1e2", "100")]
    [InlineData("1e-3", "1e-3")]
    [InlineData("12e6", "12e6")]
    [InlineData("100M", "100M")]
    [InlineData("1000000", "1M")]
    [InlineData("0.1m", "100u")]
    [InlineData("0.0001m", "100n")]
    [InlineData("0.00000000001", "1n")]
    [InlineData("-0.00000000001", "-1n")]
    [InlineData("+1", "+1")]
    [InlineData("-1", "-1")]
    [InlineData("-64Mi", "-64Mi")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1.1Ki", "1126400m")]
    [InlineData("1000E", "1e21")]
    [InlineData("9999999999999999999999999999", "9999999999999999999999999999")]
    [InlineData("16Ei", "9223372036854775807")]
    [InlineData("1.", "1.")] // upstream keeps an already-canonical input string as written
    [InlineData("1.001", "1.001")]
    [InlineData("1.0010", "1001m")]
    [InlineData("Gi", "0")] // upstream reads a missing number as 0
    [InlineData("5n", "5n")]
    [InlineData("5u", "5u")]
    [InlineData("1T", "1T")]
    [InlineData("1P", "1P")]
    [InlineData("1E", "1E")]
    public void Parse_ValidInput_CanonicalString(string input, string canonical)
    {
        Assert.Equal(canonical, Quantity.Parse(input).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1 Gi")]
    [InlineData("1e1.5")]
    [InlineData(" 1")]
    public void Parse_Malformed_FormatWrongMessage(string input)
    {
        var error = Assert.Throws<QuantityFormatException>(() => Quantity.Parse(input));
        Assert.Equal("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", error.Message);
    }

    [Theory]
    [InlineData("1K")]
    [InlineData("1i")]
    [InlineData("1e")]
    [InlineData("1mi")]
    [InlineData("1Mb")]
    public void Parse_UnknownSuffix_SuffixMessage(string input)
    {
        var ok = Quantity.TryParse(input, out _, out var error);
        Assert.False(ok);
        Assert.Equal(input == "1Mb" ? QuantityFormatException.FormatWrongMessage : "unable to parse quantity's suffix", error);
    }

    [Theory]
    [InlineData("1Ki", "1024", 0)]
    [InlineData("1Gi", "1G", 1)]
    [InlineData("100m", "0.1", 0)]
    [InlineData("999m", "1", -1)]
    [InlineData("-1", "0", -1)]
    [InlineData("1e3", "1k", 0)]
    public void CompareTo_MixedFormats_ComparesValues(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(Quantity.Parse(left).CompareTo(Quantity.Parse(right))));
    }

    [Theory]
    [InlineData("1.5", 2, 1500)]
    [InlineData("100m", 1, 100)]
    [InlineData("1Ki", 1024, 1024000)]
    [InlineData("1n", 1, 1)]
    [InlineData("-1.5", -1, -1500)]
    public void ValueAndMilliValue_RoundUp(string input, long value, long milli)
    {
        var quantity = Quantity.Parse(input);
        Assert.Equal(value, quantity.Value);
        Assert.Equal(milli, quantity.MilliValue);
    }

    [Fact]
    public void Add_KeepsFormatOfLeft()
    {
        var sum = Quantity.Parse("1Gi").Add(Quantity.Parse("512Mi"));
        Assert.Equal("1536Mi", sum.ToString());
        Assert.Equal("1500m", Quantity.Parse("1").Add(Quantity.Parse("500m")).ToString());
        Assert.Equal("500m", Quantity.Parse("1").Subtract(Quantity.Parse("500m")).ToString());
    }

    [Fact]
    public void FromJson_NumberAndString_Parse()
    {
        Assert.Equal("1500m", Quantity.FromJson(JsonNode.Parse("1.5"))!.ToString());
        Assert.Equal("2", Quantity.FromJson(JsonNode.Parse("2"))!.ToString());
        Assert.Equal("64Mi", Quantity.FromJson(JsonNode.Parse("\" 64Mi \""))!.ToString());
        Assert.Null(Quantity.FromJson(null));
    }

    [Fact]
    public void Equals_SameValueDifferentFormat_Equal()
    {
        Assert.Equal(Quantity.Parse("1Ki"), Quantity.Parse("1024"));
        Assert.Equal(Quantity.Parse("1Ki").GetHashCode(), Quantity.Parse("1024").GetHashCode());
        Assert.True(Quantity.Parse("2") > Quantity.Parse("1500m"));
    }

    [Fact]
    public void FromMilli_Canonical()
    {
        Assert.Equal("250m", Quantity.FromMilli(250).ToString());
        Assert.Equal("2", Quantity.FromMilli(2000).ToString());
        Assert.Equal("2Ki", Quantity.FromInt64(2048, QuantityFormat.BinarySI).ToString());
    }
}
