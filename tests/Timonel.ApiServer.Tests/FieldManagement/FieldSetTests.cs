using System.Text.Json.Nodes;
using Timonel.ApiServer.FieldManagement;

namespace Timonel.ApiServer.Tests.FieldManagement;

public sealed class FieldSetTests
{
    private const string Owned = """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}},"f:replicas":{}}}""";

    [Fact]
    public void FromFieldsV1_ThenToFieldsV1_GivesTheSameDocument()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(Owned)!.AsObject());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Owned), set.ToFieldsV1()));
    }

    [Fact]
    public void Members_ListsEveryOwnedPathParentsFirst()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(Owned)!.AsObject());

        Assert.Equal(
            [".metadata.labels", ".metadata.labels.app", ".spec.containers[name=\"web\"]", ".spec.containers[name=\"web\"].image", ".spec.replicas"],
            set.Members().Select(FieldsV1Path.Describe));
    }

    [Fact]
    public void ExceptWith_RemovesOnlyTheListedPaths_AndDropsEmptiedBranches()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(Owned)!.AsObject());

        set.ExceptWith(FieldSet.FromFieldsV1(JsonNode.Parse("""{"f:spec":{"f:replicas":{},"f:containers":{"k:{\"name\":\"web\"}":{"f:image":{}}}}}""")!.AsObject()));

        Assert.Equal("""{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{}}}}""", set.ToFieldsV1().ToJsonString(_relaxed));
    }

    [Fact]
    public void Intersect_KeepsPathsInBoth()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(Owned)!.AsObject());
        var other = FieldSet.FromFieldsV1(JsonNode.Parse("""{"f:spec":{"f:replicas":{},"f:paused":{}},"f:metadata":{"f:labels":{"f:tier":{}}}}""")!.AsObject());

        Assert.Equal([".spec.replicas"], set.Intersect(other).Members().Select(FieldsV1Path.Describe));
    }

    [Theory]
    [InlineData("v:\"foregroundDeletion\"", "[=\"foregroundDeletion\"]")]
    [InlineData("k:{\"containerPort\":80,\"protocol\":\"TCP\"}", "[containerPort=80,protocol=\"TCP\"]")]
    [InlineData("f:data", ".data")]
    public void Describe_PrintsElementsAsStructuredMergeDiff(string element, string expected) =>
        Assert.Equal(expected, FieldsV1Path.Describe([element]));

    private static readonly System.Text.Json.JsonSerializerOptions _relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
