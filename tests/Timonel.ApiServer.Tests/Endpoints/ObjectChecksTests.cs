using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class ObjectChecksTests
{
    private static readonly ResourceDefinition _configMaps = Definition("", "ConfigMap", "configmaps");
    private static readonly ResourceDefinition _deployments = Definition("apps", "Deployment", "deployments");

    public static TheoryData<string, string> UnreadableTypeMeta => new()
    {
        {
            """{"apiVersion":5,"kind":"ConfigMap","metadata":{"name":"a"}}""",
            "the object provided is unrecognized ({\"apiVersion\":5,\"kind\":\"Config ...): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string"
        },
        // The first in the document is the one reported.
        {
            """{"kind":{},"apiVersion":[]}""",
            "the object provided is unrecognized ({\"kind\":{},\"apiVersion\":[]}): couldn't get version/kind; json parse error: json: cannot unmarshal object into Go struct field .kind of type string"
        },
        {
            """{"apiVersion":"v1","kind":true}""",
            "the object provided is unrecognized ({\"apiVersion\":\"v1\",\"kind\":true ...): couldn't get version/kind; json parse error: json: cannot unmarshal bool into Go struct field .kind of type string"
        },
    };

    public static TheoryData<string, string, string?> PatchedKinds => new()
    {
        { "ConfigMap", """{"apiVersion":"v1","kind":"ConfigMap"}""", null },
        // Left out or empty, they are filled from the kind decoded into.
        { "ConfigMap", """{"kind":""}""", null },
        { "ConfigMap", """{"apiVersion":"v1","kind":"Gizmo"}""", "no kind \"Gizmo\" is registered for version \"v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"" },
        { "ConfigMap", """{"apiVersion":"v2","kind":"ConfigMap"}""", "no kind \"ConfigMap\" is registered for version \"v2\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"" },
        { "ConfigMap", """{"apiVersion":"v1","kind":"Secret"}""", "unable to decode /v1, Kind=Secret into *core.ConfigMap" },
        { "Deployment", """{"apiVersion":"apps/v1","kind":"ReplicaSet"}""", "unable to decode apps/v1, Kind=ReplicaSet into *apps.Deployment" },
        { "Deployment", """{"apiVersion":7}""", "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string" },
    };

    [Theory]
    [MemberData(nameof(UnreadableTypeMeta))]
    public void CheckKind_ApiVersionOrKindNotAString_RefusedAsUpstreamsSerializer(string json, string expected)
    {
        var error = Assert.Throws<StatusException>(() => ObjectChecks.CheckKind(JsonNode.Parse(json)!.AsObject(), _configMaps));

        Assert.Equal((400, "BadRequest", expected), (error.Code, error.Reason, error.Message));
    }

    [Theory]
    [MemberData(nameof(PatchedKinds))]
    public void PatchedKindError_PatchedTypeMeta_WordedAsUpstreamsDecodeInto(string kind, string json, string? expected)
    {
        var definition = kind == "ConfigMap" ? _configMaps : _deployments;

        Assert.Equal(expected, ObjectChecks.PatchedKindError(JsonNode.Parse(json)!.AsObject(), definition));
    }

    private static ResourceDefinition Definition(string group, string kind, string plural) => new()
    {
        Group = group,
        Version = "v1",
        Kind = kind,
        Plural = plural,
        Namespaced = true,
        Strategy = DefaultStrategies.DataOnly,
    };

    [Theory]
    [InlineData("""{"metadata":{"name":"p"}}""", "policy/v1")]
    [InlineData("""{"apiVersion":"policy/v1beta1","kind":"Eviction"}""", "policy/v1beta1")]
    [InlineData("""{"apiVersion":"policy/v1","kind":"Eviction"}""", "policy/v1")]
    public void CheckTypeMeta_EvictionVersionsAccepted_VersionKept(string body, string apiVersion)
    {
        var eviction = JsonNode.Parse(body)!.AsObject();

        ObjectChecks.CheckTypeMeta(eviction, "policy/v1", "Eviction", "policy/v1beta1");

        Assert.Equal(apiVersion, (string?)eviction["apiVersion"]);
        Assert.Equal("Eviction", (string?)eviction["kind"]);
    }

    [Fact]
    public void CheckTypeMeta_UnacceptedVersion_BadRequestNamingTheExpectedOne()
    {
        var error = Assert.Throws<StatusException>(() => ObjectChecks.CheckTypeMeta(JsonNode.Parse("""{"apiVersion":"policy/v2","kind":"Eviction"}""")!.AsObject(), "policy/v1", "Eviction", "policy/v1beta1"));

        Assert.Equal("the API version in the data (policy/v2) does not match the expected API version (policy/v1)", error.Message);
    }
}
