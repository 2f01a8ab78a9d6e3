using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.Api.Tests.Objects;

public sealed class YamlConverterTests
{

    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(relative);
    }

    // Scalar resolution of go-yaml v2 (YAML 1.1), which sigs.k8s.io/yaml uses.
    [Theory]
    [InlineData("v: true", """{"v":true}""")]
    [InlineData("v: yes", """{"v":true}""")]
    [InlineData("v: Off", """{"v":false}""")]
    [InlineData("v: ~", """{"v":null}""")]
    [InlineData("v:", """{"v":null}""")]
    [InlineData("v: null", """{"v":null}""")]
    [InlineData("v: 42", """{"v":42}""")]
    [InlineData("v: -7", """{"v":-7}""")]
    [InlineData("v: 0x1F", """{"v":31}""")]
    [InlineData("v: 0777", """{"v":511}""")]
    [InlineData("v: 0o17", """{"v":15}""")]
    [InlineData("v: 0b101", """{"v":5}""")]
    [InlineData("v: 1_000", """{"v":1000}""")]
    [InlineData("v: 1.5", """{"v":1.5}""")]
    [InlineData("v: 1e3", """{"v":1000}""")]
    [InlineData("v: .5", """{"v":0.5}""")]
    [InlineData("v: 08", """{"v":8}""")]
    [InlineData("v: 18446744073709551615", """{"v":18446744073709551615}""")]
    [InlineData("v: \"true\"", """{"v":"true"}""")]
    [InlineData("v: '42'", """{"v":"42"}""")]
    [InlineData("v: !!str 42", """{"v":"42"}""")]
    [InlineData("v: !!int \"42\"", """{"v":42}""")]
    [InlineData("v: 64Mi", """{"v":"64Mi"}""")]
    [InlineData("v: 2001-12-14", """{"v":"2001-12-14"}""")]
    [InlineData("v: 1.2.3", """{"v":"1.2.3"}""")]
    [InlineData("v: -x", """{"v":"-x"}""")]
    [InlineData("v: nginx:alpine", """{"v":"nginx:alpine"}""")]
    [InlineData("1: a\ntrue: b\n1.5: c", """{"1":"a","true":"b","1.5":"c"}""")]
    [InlineData("on: x", """{"true":"x"}""")]
    [InlineData("v: |\n  line1\n  line2\n", """{"v":"line1\nline2\n"}""")]
    [InlineData("a: &x {k: 1}\nb: *x", """{"a":{"k":1},"b":{"k":1}}""")]
    [InlineData("base: &b {k: 1, j: 2}\nd:\n  <<: *b\n  j: 3", """{"base":{"k":1,"j":2},"d":{"k":1,"j":3}}""")]
    [InlineData("l: [1, two, {x: z}]", """{"l":[1,"two",{"x":"z"}]}""")]
    [InlineData("f: {x: y}", """{"f":{"x":true}}""")] // YAML 1.1: a bare y is a boolean
    public void ToJson_Scalars_ResolvedAsUpstream(string yaml, string json)
    {
        var result = YamlConverter.ToJson(yaml);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), result), result?.ToJsonString());
    }

    [Fact]
    public void ToJson_DuplicateKey_LaterWins()
    {
        // go-yaml v2 decoding into a map (non-strict, as the API server's YAML decoder) keeps the last value.
        Assert.Equal("""{"a":2}""", YamlConverter.ToJson("a: 1\na: 2\n")!.ToJsonString());
    }

    [Theory]
    [InlineData("a: 1\nb: 2\n", null)]
    [InlineData("a: 1\na: 2\n", "error converting YAML to JSON: yaml: unmarshal errors:\n  line 2: key \"a\" already set in map")]
    [InlineData("metadata:\n  name: x\n  labels: {}\n  name: y\ndata:\n  k: 1\n  k: 2\n",
        "error converting YAML to JSON: yaml: unmarshal errors:\n  line 4: key \"name\" already set in map\n  line 7: key \"k\" already set in map")]
    [InlineData("1: a\n1: b\n", "error converting YAML to JSON: yaml: unmarshal errors:\n  line 2: key 1 already set in map")]
    [InlineData("{\"a\": 1, \"a\": 2}", "error converting YAML to JSON: yaml: unmarshal errors:\n  line 1: key \"a\" already set in map")]
    public void ToJson_RepeatedKeys_StrictErrorAsGoYaml(string yaml, string? strictError)
    {
        YamlConverter.ToJson(yaml, out var error);

        Assert.Equal(strictError, error);
    }

    [Fact]
    public void ToJson_EmptyDocument_Null()
    {
        Assert.Null(YamlConverter.ToJson(""));
        Assert.Null(YamlConverter.ToJson("# only a comment\n"));
    }

    [Fact]
    public void ToJson_PodExample_ConvertsToObject()
    {
        var pod = YamlConverter.ToJson(File.ReadAllText(RepoFile("examples/01-pod.yaml")))!.AsObject();
        Assert.Equal("v1", KubeObject.GetApiVersion(pod));
        Assert.Equal("Pod", KubeObject.GetKind(pod));
        Assert.False(string.IsNullOrEmpty(new ObjectMeta(pod).Name));
    }

    [Fact]
    public void ToJson_TabIndentedExample_UpstreamError()
    {
        var error = Assert.Throws<YamlConversionException>(() => YamlConverter.ToJson(File.ReadAllText(RepoFile("examples/bad/02-pod-tab-indented.yaml"))));
        Assert.Equal("error converting YAML to JSON: yaml: line 8: found character that cannot start any token", error.Message);
        Assert.Equal(8, error.Line);
    }

    [Theory]
    [InlineData("a: b: c", "error converting YAML to JSON: yaml: line 1: mapping values are not allowed in this context")]
    [InlineData("a: [1, 2\n", "error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'")]
    [InlineData("a:\n  b: 1\n c: 2\n", "error converting YAML to JSON: yaml: line 2: did not find expected key")]
    [InlineData("a:\n- b\nc", "error converting YAML to JSON: yaml: line 3: could not find expected ':'")]
    [InlineData("v: .inf", "error converting YAML to JSON: json: unsupported value: +Inf")]
    public void ToJson_InvalidYaml_UpstreamLikeMessage(string yaml, string message)
    {
        Assert.Equal(message, Assert.Throws<YamlConversionException>(() => YamlConverter.ToJson(yaml)).Message);
    }

    [Fact]
    public void ToJsonDocuments_MultiDocument_AllNonEmpty()
    {
        var documents = YamlConverter.ToJsonDocuments("a: 1\n---\n---\nb: 2\n");
        Assert.Equal(2, documents.Count);
        Assert.Equal("""{"b":2}""", documents[1].ToJsonString());
    }

    [Fact]
    public void ToJson_AliasBomb_IsRefusedBeforeExpanding()
    {
        // Nine levels of nine aliases: 9^9 (387 million) strings once expanded, from 700 bytes.
        var yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + string.Concat(Enumerable.Range(1, 8).Select(i =>
            $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n"));

        var error = Assert.Throws<YamlConversionException>(() => YamlConverter.ToJson(yaml));

        Assert.Equal("error converting YAML to JSON: yaml: document contains excessive aliasing", error.Message);
    }

    [Fact]
    public void ToJson_AnchorsReusedModestly_AreExpanded()
    {
        // A common use: one block of settings shared by many entries.
        var yaml = "base: &base {image: nginx, pullPolicy: Always, port: 80}\n"
            + string.Concat(Enumerable.Range(0, 200).Select(i => $"c{i}:\n  <<: *base\n  name: c{i}\n"));

        var json = YamlConverter.ToJson(yaml)!.AsObject();

        Assert.Equal(201, json.Count);
        Assert.Equal("nginx", json["c199"]!["image"]!.GetValue<string>());
    }
}
