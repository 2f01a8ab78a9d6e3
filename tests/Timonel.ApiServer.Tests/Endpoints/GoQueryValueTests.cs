using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class GoQueryValueTests
{
    [Theory]
    [InlineData("abc", "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("", "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("1.5", "strconv.ParseInt: parsing \"1.5\": invalid syntax")]
    [InlineData(" 5", "strconv.ParseInt: parsing \" 5\": invalid syntax")]
    [InlineData("99999999999999999999", "strconv.ParseInt: parsing \"99999999999999999999\": value out of range")]
    [InlineData("-99999999999999999999", "strconv.ParseInt: parsing \"-99999999999999999999\": value out of range")]
    public void ParseInt64_NotAnInt64_BadRequestInStrconvWords(string text, string message)
    {
        var error = Assert.Throws<StatusException>(() => GoQueryValue.ParseInt64(text));

        Assert.Equal((400, message), (error.Code, error.Message));
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("-1", -1)]
    [InlineData("+7", 7)]
    public void ParseInt64_Integer_Parsed(string text, long expected)
    {
        Assert.Equal(expected, GoQueryValue.ParseInt64(text));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("", true)]
    [InlineData("garbage", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    public void Bool_AnyValue_GoConversion(string text, bool expected)
    {
        Assert.Equal(expected, GoQueryValue.Bool(text));
    }
}
