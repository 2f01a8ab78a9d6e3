using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry.CustomResources;

namespace Timonel.ApiServer.Tests.Registry.CustomResources;

public sealed class StructuralSchemaTests
{
    private static readonly StructuralSchema _schema = new(JsonNode.Parse("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "size":{"type":"string"},
          "tags":{"type":"array","items":{"type":"string"}}}}}}
        """)!.AsObject());

    // apiextensions' InvalidTypeCode: a nil value is shown as "", anything else as the unstructured value Go holds.
    [Theory]
    [InlineData("{\"size\":null}", "spec.size: Invalid value: \"\": spec.size in body must be of type string: \"null\"")]
    [InlineData("{\"tags\":{\"a\":1}}", "spec.tags: Invalid value: map[string]interface {}{\"a\":1}: spec.tags in body must be of type array: \"object\"")]
    public void Validate_WrongType_ShowsTheValueAsUpstream(string spec, string expected)
    {
        var errors = _schema.Validate(new JsonObject { ["spec"] = JsonNode.Parse(spec) });

        Assert.Equal(expected, Assert.Single(errors).ToString());
    }
}
