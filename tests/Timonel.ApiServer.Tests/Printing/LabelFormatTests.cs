using System.Text.Json.Nodes;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Tests.Printing;

public sealed class LabelFormatTests
{
    [Theory]
    [InlineData(null, "<none>")]
    [InlineData("{}", "<none>")]
    [InlineData("{\"matchLabels\":{\"app\":\"web\",\"tier\":\"front\"}}", "app=web,tier=front")]
    [InlineData("{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"dev\"]}]}", "env in (dev,prod)")]
    [InlineData("{\"matchLabels\":{\"z\":\"1\"},\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"},{\"key\":\"b\",\"operator\":\"DoesNotExist\"},{\"key\":\"c\",\"operator\":\"NotIn\",\"values\":[\"x\"]}]}", "a,!b,c notin (x),z=1")]
    public void FormatLabelSelector_Selector_AsUpstream(string? selector, string expected) =>
        Assert.Equal(expected, LabelFormat.FormatLabelSelector(selector is null ? null : JsonNode.Parse(selector)!.AsObject()));

    [Theory]
    [InlineData(null, "<none>")]
    [InlineData("{\"role\":\"hello\",\"app\":\"a\"}", "app=a,role=hello")]
    public void FormatLabels_Set_SortedByKey(string? labels, string expected) =>
        Assert.Equal(expected, LabelFormat.FormatLabels(labels is null ? null : JsonNode.Parse(labels)!.AsObject()));
}
