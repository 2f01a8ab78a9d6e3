using System.Text.Json.Nodes;
using Timonel.Api.Validation;

namespace Timonel.Api.Tests.Validation;

public sealed class FieldErrorTests
{
    private static readonly FieldPath _name = FieldPath.Root("metadata", "name");

    public static TheoryData<FieldError, string> Messages => new()
    {
        { FieldError.Required(_name), "metadata.name: Required value" },
        { FieldError.Required(_name, "name or generateName is required"), "metadata.name: Required value: name or generateName is required" },
        { FieldError.Invalid(_name, "A_b", "bad"), "metadata.name: Invalid value: \"A_b\": bad" },
        { FieldError.Invalid(_name, 5L, "must be positive"), "metadata.name: Invalid value: 5: must be positive" },
        { FieldError.Invalid(_name, 1.5, "x"), "metadata.name: Invalid value: 1.5: x" },
        { FieldError.Invalid(_name, true, "x"), "metadata.name: Invalid value: true: x" },
        // 1.32's ErrorBody turns nil into the string "null", then quotes it as any string.
        { FieldError.Invalid(_name, null, "x"), "metadata.name: Invalid value: \"null\": x" },
        { FieldError.Invalid(_name, "tab\there \"q\"", "x"), "metadata.name: Invalid value: \"tab\\there \\\"q\\\"\": x" },
        { FieldError.Invalid(_name, JsonValue.Create("s"), "x"), "metadata.name: Invalid value: \"s\": x" },
        { FieldError.Invalid(_name, JsonValue.Create(3), "x"), "metadata.name: Invalid value: 3: x" },
        // Anything else is Go's %#v: JSON trees as the unstructured data Go holds (keys sorted), string lists as []string.
        { FieldError.Invalid(_name, JsonNode.Parse("{\"b\":[1,1.5,\"s\",null,true],\"a\":{}}"), "x"),
            "metadata.name: Invalid value: map[string]interface {}{\"a\":map[string]interface {}{}, \"b\":[]interface {}{1, 1.5, \"s\", interface {}(nil), true}}: x" },
        { FieldError.Invalid(_name, new[] { "a", "b" }, "x"), "metadata.name: Invalid value: []string{\"a\", \"b\"}: x" },
        { FieldError.Invalid(_name, GoValue.Strings(null), "x"), "metadata.name: Invalid value: []string(nil): x" },
        { FieldError.Invalid(_name, GoValue.StringMap(new Dictionary<string, string> { ["tier"] = "x", ["app"] = "a" }), "x"),
            "metadata.name: Invalid value: map[string]string{\"app\":\"a\", \"tier\":\"x\"}: x" },
        { FieldError.Invalid(_name, GoValue.Time("2026-01-02T03:04:05.120Z"), "x"), "metadata.name: Invalid value: 2026-01-02 03:04:05.12 +0000 UTC: x" },
        { FieldError.Invalid(_name, GoValue.Time(null), "x"), "metadata.name: Invalid value: 0001-01-01 00:00:00 +0000 UTC: x" },
        { FieldError.Invalid(_name, GoValue.IntOrString(JsonValue.Create("25%")), "x"), "metadata.name: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"25%\"}: x" },
        { FieldError.Invalid(_name, GoValue.LabelSelector(JsonNode.Parse("{\"matchExpressions\":[{\"key\":\"k\",\"operator\":\"In\",\"values\":[\"v\"]}]}")), "x"),
            "metadata.name: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"k\", Operator:\"In\", Values:[]string{\"v\"}}}}: x" },
        { FieldError.Duplicate(FieldPath.Root("spec").Child("ports").Index(1).Child("port"), 80L), "spec.ports[1].port: Duplicate value: 80" },
        { FieldError.NotSupported(FieldPath.Root("spec", "restartPolicy"), "Sometimes", ["Always", "OnFailure", "Never"]),
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"" },
        { FieldError.Forbidden(FieldPath.Root("spec"), "pod updates may not change fields"), "spec: Forbidden: pod updates may not change fields" },
        // 1.32 (apimachinery v0.32.0): "bytes" and "items" even for 1; the singular forms came in later releases.
        { FieldError.TooLong(FieldPath.Root("metadata", "annotations"), 262144), "metadata.annotations: Too long: may not be more than 262144 bytes" },
        { FieldError.TooLong(FieldPath.Root("x"), 1), "x: Too long: may not be more than 1 bytes" },
        { FieldError.TooLong(FieldPath.Root("x"), -1), "x: Too long: value is too long" },
        { FieldError.TooMany(FieldPath.Root("spec", "items"), 2, 1), "spec.items: Too many: 2: must have at most 1 items" },
        { FieldError.TooMany(FieldPath.Root("spec", "items"), 2, -1), "spec.items: Too many: 2: has too many items" },
        { FieldError.TooMany(FieldPath.Root("spec", "items"), 5, 3), "spec.items: Too many: 5: must have at most 3 items" },
        { FieldError.TooMany(FieldPath.Root("spec", "items"), -1, 3), "spec.items: Too many: must have at most 3 items" },
        { FieldError.NotFound(FieldPath.Root("spec").Key("a.b"), "x"), "spec[a.b]: Not found: \"x\"" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void ToString_EachErrorType_MatchesUpstreamText(FieldError error, string expected)
    {
        Assert.Equal(expected, error.ToString());
    }

    [Theory]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e6, "1e+06")]
    [InlineData(999999.0, "999999")]
    [InlineData(123456789.0, "1.23456789e+08")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(100.0, "100")]
    [InlineData(-2.5, "-2.5")]
    public void ToString_FloatValue_UsesGoFloatFormatting(double value, string rendered)
    {
        // Go's %v uses %g, whose exponent threshold is the shortest representation's precision.
        var error = FieldError.Invalid(FieldPath.Root("x"), value, "d");
        Assert.Equal("x: Invalid value: " + rendered + ": d", error.ToString());
    }

    [Fact]
    public void ToInvalidStatus_SingleError_NoBrackets()
    {
        var errors = new FieldErrorList { FieldError.Required(FieldPath.Root("spec", "containers")) };

        var status = errors.ToInvalidStatus("", "Pod", "nginx");

        Assert.Equal("Pod \"nginx\" is invalid: spec.containers: Required value", status.Message);
        Assert.Equal(422, status.Code);
    }

    [Fact]
    public void ToInvalidStatus_SeveralErrors_BracketsAndDeduplicates()
    {
        var errors = new FieldErrorList
        {
            FieldError.Required(FieldPath.Root("spec", "selector")),
            FieldError.Invalid(FieldPath.Root("spec", "replicas"), -1L, "must be greater than or equal to 0"),
            FieldError.Required(FieldPath.Root("spec", "selector")),
        };

        var status = errors.ToInvalidStatus("apps", "Deployment", "web");

        Assert.Equal("Deployment.apps \"web\" is invalid: [spec.selector: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]", status.Message);
        Assert.Equal(3, status.Causes.Count);
    }

    [Fact]
    public void ToJson_InvalidStatus_HasUpstreamShape()
    {
        var errors = new FieldErrorList { FieldError.Invalid(FieldPath.Root("metadata", "name"), "Bad", "bad name") };

        var json = errors.ToInvalidStatus("apps", "Deployment", "Bad").ToJson();

        var expected = JsonNode.Parse("""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
             "message":"Deployment.apps \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": bad name",
             "reason":"Invalid",
             "details":{"name":"Bad","group":"apps","kind":"Deployment",
               "causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \"Bad\": bad name","field":"metadata.name"}]},
             "code":422}
            """);
        Assert.True(JsonNode.DeepEquals(expected, json), json.ToJsonString());
    }

    [Fact]
    public void ToInvalidStatus_NoErrors_MessageWithoutColon()
    {
        Assert.Equal("ConfigMap \"c\" is invalid", new FieldErrorList().ToInvalidStatus("", "ConfigMap", "c").Message);
    }
}
