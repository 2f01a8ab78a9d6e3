using System.Text.Json.Nodes;
using Timonel.Api.Patching;

namespace Timonel.Api.Tests.Patching;

public sealed class JsonPatchTests
{
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":"x"}]""", """{"foo":["bar","x"]}""")]
    [InlineData("""{"foo":["a","b"]}""", """[{"op":"add","path":"/foo/-1","value":"x"}]""", """{"foo":["a","b","x"]}""")] // -1 counts from the grown list
    [InlineData("""{"foo":["a","b"]}""", """[{"op":"add","path":"/foo/-2","value":"x"}]""", """{"foo":["a","x","b"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"foo":["a","b"]}""", """[{"op":"remove","path":"/foo/-1"}]""", """{"foo":["a"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"replace","path":"/missing","value":1}]""", """{"foo":"bar","missing":1}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""",
        """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"foo":{"bar":1}}""", """[{"op":"copy","from":"/foo","path":"/baz"}]""", """{"foo":{"bar":1},"baz":{"bar":1}}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2.0}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"a/b":1,"m~n":2}""", """[{"op":"replace","path":"/a~1b","value":3},{"op":"remove","path":"/m~0n"}]""", """{"a/b":3}""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"","value":{"b":2}}]""", """{"b":2}""")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/missing","value":null}]""", """{"a":1}""")]
    [InlineData("""{"metadata":{"labels":{"app":"web"}}}""", """[{"op":"add","path":"/metadata/labels/tier","value":"fe"},{"op":"test","path":"/metadata/labels/app","value":"web"}]""",
        """{"metadata":{"labels":{"app":"web","tier":"fe"}}}""")]
    public void Apply_ValidOperations(string document, string patch, string expected)
    {
        JsonAssert.Equal(expected, JsonPatch.Apply(JsonNode.Parse(document)!, JsonNode.Parse(patch)));
    }

    [Theory]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"/b/c","value":1}]""", "add operation does not apply: doc is missing path: \"/b/c\": missing value")]
    [InlineData("""{"a":1}""", """[{"op":"remove","path":"/b"}]""", "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value")]
    [InlineData("""{"a":[1]}""", """[{"op":"remove","path":"/a/5"}]""", "error in remove for path: '/a/5': Unable to access invalid index: 5: invalid index referenced")]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/5","value":1}]""", "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced")]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/x","value":1}]""", "error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("""{"a":[1]}""", """[{"op":"replace","path":"/a/3","value":1}]""", "replace operation does not apply: doc is missing key: /a/3: missing value")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"/b/c","value":1}]""", "replace operation does not apply: doc is missing path: /b/c: missing value")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/a","value":2}]""", "testing value /a failed: test failed")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/b","value":2}]""", "testing value /b failed: test failed")]
    [InlineData("""{"a":1}""", """[{"op":"move","from":"/b","path":"/c"}]""", "error in move for path: 'b': Unable to remove nonexistent key: b: missing value")]
    [InlineData("""{"a":1}""", """[{"op":"copy","from":"/x/y","path":"/c"}]""", "copy operation does not apply: doc is missing from path: /x/y: missing value")]
    [InlineData("""{"a":1}""", """[{"op":"frobnicate","path":"/a"}]""", "Unexpected kind: frobnicate")]
    [InlineData("""{"a":1}""", """[{"op":"add","value":1}]""", "add operation failed to decode path: missing value")]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"","value":1}]""", "add operation does not apply: doc is missing path: \"\": missing value")]
    public void Apply_FailingOperation_UpstreamMessage(string document, string patch, string message)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(JsonNode.Parse(document)!, JsonNode.Parse(patch)));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Apply_FailureMidway_DocumentUnchanged()
    {
        var document = JsonNode.Parse("""{"a":1}""")!;
        Assert.Throws<PatchException>(() => JsonPatch.Apply(document, JsonNode.Parse("""[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/zzz"}]""")));
        JsonAssert.Equal("""{"a":1}""", document);
    }

    [Fact]
    public void Apply_NotAnArray_Malformed()
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(JsonNode.Parse("{}")!, JsonNode.Parse("""{"op":"add"}""")));
        Assert.True(error.IsMalformedPatch);
    }

    [Theory]
    [InlineData(3, null)] // three copies of exactly 1 MiB (the quotes included) reach the limit, allowed
    [InlineData(4, "Unable to complete the copy, the accumulated size increase of copy is 4194304, exceeding the limit 3145728")]
    public void Apply_CopiesBeyondCopyLimit_Refused(int copies, string? message)
    {
        var document = new JsonObject { ["big"] = new string('x', (1024 * 1024) - 2) };
        var operations = new JsonArray([.. Enumerable.Range(0, copies).Select(i => (JsonNode)new JsonObject { ["op"] = "copy", ["from"] = "/big", ["path"] = $"/c{i}" })]);

        var error = Record.Exception(() => JsonPatch.Apply(document, operations));

        Assert.Equal(message, error?.Message);
    }

    [Fact]
    public void Apply_CopyOfDeepValue_Copied()
    {
        JsonNode deep = "leaf";
        for (var i = 0; i < 200; i++)
        {
            deep = new JsonObject { ["x"] = deep };
        }

        var result = JsonPatch.Apply(new JsonObject { ["a"] = deep }, JsonNode.Parse("""[{"op":"copy","from":"/a","path":"/b"}]"""));

        Assert.True(JsonNode.DeepEquals(result["a"], result["b"]));
    }
}
