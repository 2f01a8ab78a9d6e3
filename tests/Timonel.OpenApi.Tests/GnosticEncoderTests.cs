using System.Text.Json.Nodes;
using Timonel.OpenApiGen.Protobuf;
using static Timonel.OpenApi.Tests.GnosticWire;

namespace Timonel.OpenApi.Tests;

/// <summary>
/// Swagger JSON into gnostic's openapi.v2.Document (OpenAPIv2.proto field numbers), read back from the wire: the
/// oneof gnostic's parser picks, proto3 defaults left out, vendor extensions as the YAML go-yaml v3 writes.
/// </summary>
public sealed class GnosticEncoderTests
{
    // Document.paths = 8 > Paths.path = 2 (NamedPathItem) > value = 2 > PathItem.parameters = 9 (ParametersItem).
    private static readonly int[] _pathParameters = [8, 2, 2, 9];

    // Document.definitions = 9 > Definitions.additional_properties = 1 (NamedSchema) > value = 2.
    private static readonly int[] _definition = [9, 1, 2];

    [Theory]
    // ParametersItem.parameter = 1 > Parameter.body_parameter = 1 / non_body_parameter = 2 > the sub-schema by "in".
    [InlineData("""{"in":"body","name":"body","schema":{"$ref":"#/definitions/A"}}""", new[] { 1, 1 }, "body")]
    [InlineData("""{"in":"header","name":"h","type":"string"}""", new[] { 1, 2, 1 }, "h")]
    [InlineData("""{"in":"formData","name":"f","type":"string"}""", new[] { 1, 2, 2 }, "f")]
    [InlineData("""{"in":"query","name":"q","type":"string","uniqueItems":true}""", new[] { 1, 2, 3 }, "q")]
    [InlineData("""{"in":"path","name":"p","type":"string","required":true}""", new[] { 1, 2, 4 }, "p")]
    public void EncodeDocument_Parameter_TheOneofGnosticPicks(string parameter, int[] path, string name)
    {
        var document = Encode("""{"paths":{"/x":{"parameters":[""" + parameter + "]}}}");

        var chosen = One(document, [.. _pathParameters, .. path]);

        // The body parameter has name = 2; every non-body sub-schema has name = 4.
        Assert.Equal(name, Text(One(chosen, path.Length == 2 ? 2 : 4)));
    }

    [Fact]
    public void EncodeDocument_ReferencedParameter_JsonReference()
    {
        var document = Encode("""{"paths":{"/x":{"parameters":[{"$ref":"#/parameters/pretty"}]}}}""");

        // ParametersItem.json_reference = 2 > JsonReference._ref = 1.
        Assert.Equal("#/parameters/pretty", Text(One(document, [.. _pathParameters, 2, 1])));
    }

    [Fact]
    public void EncodeDocument_Proto3Defaults_LeftOutButOneofMembersKept()
    {
        var document = Encode("""
            {"paths":{"/x":{"parameters":[{"in":"query","name":"q","type":"string","required":false,"uniqueItems":true}]}},
             "definitions":{"A":{"type":"object","additionalProperties":false,"description":""}}}
            """);

        var query = One(document, [.. _pathParameters, 1, 2, 3]);
        var schema = One(document, _definition);
        // QueryParameterSubSchema.required = 1 (false: absent), unique_items = 20 (true).
        Assert.Empty(Varints(query, 1));
        Assert.Equal(new[] { 1UL }, Varints(query, 20));
        // Schema.description = 4 ("" is absent); additional_properties = 21 > boolean = 2 holds false all the same.
        Assert.Empty(Find(schema, 4));
        Assert.Equal(new[] { 0UL }, Varints(One(schema, 21), 2));
    }

    [Fact]
    public void EncodeDocument_SchemaKeywords_TypeItemsPropertiesAdditionalProperties()
    {
        var document = Encode("""
            {"definitions":{"A":{"type":["string","null"],"items":{"type":"integer"},"required":["b"],
             "properties":{"b":{"$ref":"#/definitions/B"}},"additionalProperties":{"type":"boolean"}}}}
            """);

        var schema = One(document, _definition);
        // type = 22 (TypeItem.value = 1), items = 23 (ItemsItem.schema = 1), required = 19, properties = 25,
        // additional_properties = 21 (AdditionalPropertiesItem.schema = 1).
        Assert.Equal(new[] { "string", "null" }, Strings(One(schema, 22), 1));
        Assert.Equal(new[] { "integer" }, Strings(One(schema, 23, 1, 22), 1));
        Assert.Equal(new[] { "b" }, Strings(schema, 19));
        var property = Assert.Single(Named(One(schema, 25), 1));
        Assert.Equal(("b", "#/definitions/B"), (property.Name, Text(One(property.Value, 1))));
        Assert.Equal(new[] { "boolean" }, Strings(One(schema, 21, 1, 22), 1));
    }

    [Theory]
    [InlineData("\"post\"", "post\n")]
    [InlineData("true", "true\n")]
    [InlineData("12", "12\n")]
    [InlineData("\"\"", "\"\"\n")]
    [InlineData("\"true\"", "\"true\"\n")]
    [InlineData("\"1.5\"", "\"1.5\"\n")]
    [InlineData("\"a: b\"", "\"a: b\"\n")]
    [InlineData("""{"group":"","kind":"ConfigMap","version":"v1"}""", "group: \"\"\nkind: ConfigMap\nversion: v1\n")]
    [InlineData("""[{"group":"apps","kind":"Deployment","version":"v1"}]""", "- group: apps\n  kind: Deployment\n  version: v1\n")]
    [InlineData("""{"a":{},"b":[]}""", "a: {}\nb: []\n")]
    [InlineData("""[["a","b"],"c"]""", "- - a\n  - b\n- c\n")]
    // go-yaml v3's own expectations (encode_test.go): 4-space blocks, a sequence item's content after its "- ".
    [InlineData("""{"a":{"b":[{"c":1,"d":2}]}}""", "a:\n    b:\n        - c: 1\n          d: 2\n")]
    [InlineData("""{"v":["A",1,{"B":[2,3]}]}""", "v:\n    - A\n    - 1\n    - B:\n        - 2\n        - 3\n")]
    public void EncodeDocument_VendorExtension_NamedAnyWithGoYaml(string value, string yaml)
    {
        var document = Encode("""{"x-test":""" + value + "}");

        // Document.vendor_extension = 16 (NamedAny) > value = 2 (Any) > yaml = 2.
        var extension = Assert.Single(Named(document, 16));
        Assert.Equal("x-test", extension.Name);
        Assert.Empty(Find(extension.Value, 1));
        Assert.Equal(yaml, Text(One(extension.Value, 2)));
    }

    [Theory]
    [InlineData("""{"bogus":1}""", "$root has \"bogus\", which Document does not define")]
    [InlineData("""{"definitions":{"A":{"type":"string","nullable":true}}}""", "$root.definitions.A has \"nullable\", which Schema does not define")]
    [InlineData("""{"paths":{"/x":{"parameters":[{"in":"cookie","name":"c","type":"string"}]}}}""", "a parameter in \"cookie\" is none of header, formData, query, path")]
    [InlineData("""{"definitions":{"A":{"maxLength":"5"}}}""", "$root.definitions.A.maxLength is \"5\", not an integer")]
    public void EncodeDocument_WhatGnosticRejects_FailsNamingWhere(string extra, string message)
    {
        var ex = Assert.ThrowsAny<Exception>(() => Encode(extra));

        Assert.Equal(message, ex.Message);
    }

    /// <summary>A minimal swagger document with the properties of <paramref name="extra"/> added.</summary>
    private static byte[] Encode(string extra)
    {
        var document = new JsonObject { ["swagger"] = "2.0", ["info"] = new JsonObject { ["title"] = "t", ["version"] = "v" } };
        foreach (var (key, value) in JsonNode.Parse(extra)!.AsObject().ToList())
        {
            document[key] = value?.DeepClone();
        }

        return GnosticEncoder.EncodeDocument(document);
    }
}
