using System.Text.Json.Nodes;
using Timonel.Api.Selectors;

namespace Timonel.Api.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static Dictionary<string, string> Labels(string pairs) =>
        pairs.Length == 0 ? [] : pairs.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    // Cases in the spirit of upstream's TestSelectorMatches / TestSelectorParse.
    [Theory]
    [InlineData("", "x=y", true)]
    [InlineData("x=y", "x=y", true)]
    [InlineData("x==y", "x=y", true)]
    [InlineData("x=y", "x=z", false)]
    [InlineData("x!=y", "x=z", true)]
    [InlineData("x!=y", "", true)]
    [InlineData("x", "x=z", true)]
    [InlineData("x", "y=z", false)]
    [InlineData("!x", "y=z", true)]
    [InlineData("!x", "x=z", false)]
    [InlineData("x in (a,b)", "x=b", true)]
    [InlineData("x in (a,b)", "x=c", false)]
    [InlineData("x in (a,b)", "", false)]
    [InlineData("x notin (a,b)", "", true)]
    [InlineData("x notin (a,b)", "x=a", false)]
    [InlineData("x=y,z=w", "x=y,z=w", true)]
    [InlineData("x=y,z=w", "x=y", false)]
    [InlineData("x in (in)", "x=in", true)]
    [InlineData("x=", "x=", true)]
    [InlineData("x in ()", "x=", true)]
    [InlineData("x>1", "x=2", true)]
    [InlineData("x<1", "x=2", false)]
    [InlineData("x>1", "x=a", false)]
    [InlineData("  x  =  y  ", "x=y", true)]
    [InlineData("app.kubernetes.io/name=web", "app.kubernetes.io/name=web", true)]
    public void Matches_Table(string selector, string labels, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels(labels)));
    }

    [Theory]
    [InlineData("x=a,y=b,z=c", "x=a,y=b,z=c")]
    [InlineData("z=c,x=a", "x=a,z=c")]
    [InlineData("x in (b,a)", "x in (a,b)")]
    [InlineData("!x,y notin (q)", "!x,y notin (q)")]
    [InlineData("x==a", "x==a")]
    [InlineData("x in (a,,b)", "x in (,a,b)")]
    public void ToString_Normalised(string selector, string expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).ToString());
    }

    [Theory]
    [InlineData("x=a,", "found '', expected: identifier after ','")]
    [InlineData(",x=a", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("x=a b", "found 'b', expected: ',' or 'end of string'")]
    [InlineData("x in a", "unable to parse requirement: found 'a' expected: '('")]
    [InlineData("x in (a", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("x=a=b", "found '=', expected: ',' or 'end of string'")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier")]
    [InlineData("x=(", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("x!!y", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt")]
    public void Parse_Invalid_UpstreamMessage(string selector, string message)
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse(selector));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_InvalidValue_FieldErrorWithUpstreamPath()
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("a=-b"));
        Assert.StartsWith("unable to parse requirement: values[0][a]: Invalid value: \"-b\": a valid label must be an empty string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidKey_NilPathAsUpstream()
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("-a=b"));
        Assert.StartsWith("unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromLabelSelectorJson_MatchLabelsAndExpressions()
    {
        var selector = LabelSelector.FromLabelSelectorJson(JsonNode.Parse("""
            {"matchLabels":{"app":"web"},
             "matchExpressions":[{"key":"tier","operator":"In","values":["fe","be"]},{"key":"canary","operator":"DoesNotExist"}]}
            """));

        Assert.True(selector.Matches(Labels("app=web,tier=fe")));
        Assert.False(selector.Matches(Labels("app=web,tier=fe,canary=1")));
        Assert.False(selector.Matches(Labels("app=web")));
        Assert.Equal("app=web,!canary,tier in (be,fe)", selector.ToString());
    }

    [Fact]
    public void FromLabelSelectorJson_NullAndEmpty_NothingAndEverything()
    {
        Assert.False(LabelSelector.FromLabelSelectorJson(null).Matches(Labels("a=b")));
        Assert.True(LabelSelector.FromLabelSelectorJson(new JsonObject()).Matches(Labels("a=b")));
        Assert.True(LabelSelector.FromLabelSelectorJson(new JsonObject()).IsEmpty);
    }

    [Fact]
    public void FromLabelSelectorJson_BadOperator_UpstreamMessage()
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.FromLabelSelectorJson(JsonNode.Parse("""{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}""")));
        Assert.Equal("\"Gt\" is not a valid label selector operator", error.Message);
    }

    [Fact]
    public void FromLabelSelectorJson_InEmptyValues_UpstreamMessage()
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.FromLabelSelectorJson(JsonNode.Parse("""{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}""")));
        Assert.Equal("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty", error.Message);
    }

    [Fact]
    public void RequiresExactMatch_EqualsAndSingleIn()
    {
        var selector = LabelSelector.Parse("a=1,b in (2),c in (3,4)");
        Assert.Equal("1", selector.RequiresExactMatch("a"));
        Assert.Equal("2", selector.RequiresExactMatch("b"));
        Assert.Null(selector.RequiresExactMatch("c"));
        Assert.Null(selector.RequiresExactMatch("d"));
    }
}
