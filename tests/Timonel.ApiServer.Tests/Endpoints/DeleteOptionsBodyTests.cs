using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class DeleteOptionsBodyTests
{
    private const string InterpretType = "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }";

    public static TheoryData<string, string> Undecodable => new()
    {
        { """{"kind":"DeleteOptions","apiVersion":"v1","dryRun":"All"}""", "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string" },
        { """{"dryRun":[5]}""", "json: cannot unmarshal number into Go struct field DeleteOptions.dryRun of type string" },
        { """{"gracePeriodSeconds":"30"}""", "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64" },
        { """{"gracePeriodSeconds":1.5}""", "json: cannot unmarshal number 1.5 into Go struct field DeleteOptions.gracePeriodSeconds of type int64" },
        { """{"gracePeriodSeconds":99999999999999999999}""", "json: cannot unmarshal number 99999999999999999999 into Go struct field DeleteOptions.gracePeriodSeconds of type int64" },
        { """{"preconditions":{"uid":5}}""", "json: cannot unmarshal number into Go struct field Preconditions.preconditions.uid of type types.UID" },
        { """{"preconditions":{"resourceVersion":true}}""", "json: cannot unmarshal bool into Go struct field Preconditions.preconditions.resourceVersion of type string" },
        { """{"preconditions":"x"}""", "json: cannot unmarshal string into Go struct field DeleteOptions.preconditions of type v1.Preconditions" },
        { """{"orphanDependents":"true"}""", "json: cannot unmarshal string into Go struct field DeleteOptions.orphanDependents of type bool" },
        { """{"propagationPolicy":["Orphan"]}""", "json: cannot unmarshal array into Go struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation" },
        { """{"ignoreStoreReadErrorWithClusterBreakingPotential":1}""", "json: cannot unmarshal number into Go struct field DeleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential of type bool" },
        { "[]", "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type " + InterpretType },
        { "\"x\"", "couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type " + InterpretType },
        { """{"kind":5}""", "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string" },
        { """{"apiVersion":"a/b/c","kind":"DeleteOptions"}""", "unexpected GroupVersion string: a/b/c" },
        { """{"apiVersion":"v1","kind":"Pod"}""", "no kind \"Pod\" is registered for version \"v1\" in scheme \"k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/register.go:27\"" },
        { """{"kind":"Pod"}""", "no kind \"Pod\" is registered for version \"apps/v1\" in scheme \"k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/register.go:27\"" },
    };

    [Theory]
    [MemberData(nameof(Undecodable))]
    public void Decode_WrongJsonType_RefusedWithGoDecoderWords(string body, string message)
    {
        var error = Assert.Throws<StatusException>(() => DeleteOptionsBody.Decode(JsonNode.Parse(body), "apps/v1"));

        Assert.Equal((400, "BadRequest", message), (error.Code, error.Reason, error.Message));
    }

    public static TheoryData<string, RequestedDeleteOptions> Decodable => new()
    {
        { "null", new RequestedDeleteOptions() },
        { """{"kind":"DeleteOptions","apiVersion":"meta.k8s.io/v1","gracePeriodSeconds":-5}""", new RequestedDeleteOptions { GracePeriodSeconds = -5 } },
        // DeleteOptions decodes in any version; unknown fields and other spellings are ignored; null leaves a field unset.
        { """{"kind":"DeleteOptions","apiVersion":"example.com/v9","DryRun":"x","extra":{},"orphanDependents":null}""", new RequestedDeleteOptions() },
        { """{"propagationPolicy":"Bogus","orphanDependents":false}""", new RequestedDeleteOptions { PropagationPolicy = "Bogus", OrphanDependents = false } },
        { """{"preconditions":{"uid":"u","resourceVersion":"7","other":1}}""", new RequestedDeleteOptions { PreconditionUid = "u", PreconditionResourceVersion = "7" } },
    };

    [Theory]
    [MemberData(nameof(Decodable))]
    public void Decode_TypedBody_ReadsEveryField(string body, RequestedDeleteOptions expected)
    {
        var options = DeleteOptionsBody.Decode(JsonNode.Parse(body), "v1");

        Assert.Equal(expected, options);
    }

    [Fact]
    public void Decode_DryRunList_KeepsEveryValue()
    {
        var options = DeleteOptionsBody.Decode(JsonNode.Parse("""{"dryRun":["All",null,"Bogus"]}"""), "v1");

        Assert.Equal(["All", "", "Bogus"], options.DryRun);
    }
}
