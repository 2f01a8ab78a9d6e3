using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class WarningHeadersTests
{
    [Theory]
    [InlineData("unknown field \"spec.x\"", "299 - \"unknown field \\\"spec.x\\\"\"")]
    [InlineData("unknown field \"\\x01\"", "299 - \"unknown field \\\"\\\\x01\\\"\"")]
    [InlineData("a\u0001b", "299 - \"a\\\\x01b\"")]
    [InlineData("line 1\nline 2", "299 - \"line 1 line 2\"")]
    [InlineData("é \U0001F600 \u007f", "299 - \"\\\\u00e9 \\\\U0001f600 \\\\x7f\"")]
    public void Add_Text_HeaderValueSafeAndQuoted(string text, string expected)
    {
        var context = new DefaultHttpContext();

        WarningHeaders.Add(context, text);
        WarningHeaders.Add(context, text);

        Assert.Equal(expected, Assert.Single(context.Response.Headers["Warning"]));
        Assert.All(expected, c => Assert.InRange(c, ' ', '~'));
    }
}
