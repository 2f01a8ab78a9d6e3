using Timonel.Api.Selectors;

namespace Timonel.Api.Tests.Selectors;

public sealed class FieldSelectorTests
{
    private static readonly Dictionary<string, string> _pod = new()
    {
        ["metadata.name"] = "web-1",
        ["metadata.namespace"] = "default",
        ["spec.nodeName"] = "node-a",
        ["status.phase"] = "Running",
        ["involvedObject.kind"] = "Pod",
    };

    private static string? Lookup(string field) => _pod.GetValueOrDefault(field);

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata.name=web-1", true)]
    [InlineData("metadata.name==web-1", true)]
    [InlineData("metadata.name!=web-1", false)]
    [InlineData("spec.nodeName=node-a,status.phase=Running", true)]
    [InlineData("spec.nodeName=node-a,status.phase!=Running", false)]
    [InlineData("spec.nodeName=", false)]
    [InlineData("spec.schedulerName=", true)]
    [InlineData("spec.schedulerName!=", false)]
    [InlineData("involvedObject.kind=Pod", true)]
    [InlineData("status.phase!=Pending,", true)]
    public void Matches_Table(string selector, bool expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(Lookup));
    }

    [Theory]
    [InlineData("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [InlineData("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: 61")]
    [InlineData("a=b\\x", "invalid field selector: invalid escape sequence: \\x")]
    [InlineData("a=b\\", "invalid field selector: invalid escape sequence: \\")]
    public void Parse_Invalid_UpstreamMessage(string selector, string message)
    {
        Assert.Equal(message, Assert.Throws<SelectorParseException>(() => FieldSelector.Parse(selector)).Message);
    }

    [Fact]
    public void Parse_EscapedValue_Unescaped()
    {
        var selector = FieldSelector.Parse("metadata.name=a\\,b\\=c\\\\d");
        Assert.Equal("a,b=c\\d", selector.Requirements[0].Value);
        Assert.Equal("metadata.name=a\\,b\\=c\\\\d", selector.ToString());
    }

    [Fact]
    public void Parse_TermsSorted_AsUpstream()
    {
        Assert.Equal("a=1,b!=2", FieldSelector.Parse("b!=2,a=1").ToString());
    }

    [Fact]
    public void RequiresExactMatch_And_FindUnsupportedField()
    {
        var selector = FieldSelector.Parse("spec.nodeName=n1,status.phase!=Failed,spec.foo=x");
        Assert.Equal("n1", selector.RequiresExactMatch("spec.nodeName"));
        Assert.Null(selector.RequiresExactMatch("status.phase"));
        Assert.Equal("spec.foo", selector.FindUnsupportedField(new HashSet<string> { "spec.nodeName", "status.phase" }));
    }
}
