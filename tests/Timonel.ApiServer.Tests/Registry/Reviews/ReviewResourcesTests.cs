using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Reviews;

/// <summary>The review APIs answered as upstream's registries answer them, over the default authorizer chain.</summary>
public sealed class ReviewResourcesTests
{
    private static readonly IReadOnlyList<ResourceDefinition> _catalog = ResourceCatalog.BuiltIn(new BuiltInStrategies());
    private static readonly UserInfo _admin = UserInfo.Authenticated("admin", [UserInfo.MastersGroup]);
    private static readonly UserInfo _jane = UserInfo.Authenticated("jane", ["dev"], uid: "u-1");
    private readonly CreateOnlyResources _resources = new(
        Timonel.ApiServer.Tests.Auth.Rbac.TestPolicy.DefaultChain(),
        [new StaticTokenAuthenticator(null, new Dictionary<string, UserInfo> { ["tok"] = _jane })],
        new FixedTime(DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task SelfSubjectReview_StaticTokenUser_UserInfoOfTheCaller()
    {
        var answer = await CreateAsync("selfsubjectreviews", """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{"creationTimestamp":null}}""", _jane);

        Assert.Equal(
            """{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":"2026-01-02T03:04:05Z"},"status":{"userInfo":{"username":"jane","uid":"u-1","groups":["dev","system:authenticated"]}}}""",
            answer.ToJsonString());
    }

    [Theory]
    [InlineData("admin", "pods", true)]
    [InlineData("jane", "pods", false)]
    [InlineData("jane", "selfsubjectaccessreviews", false)]
    public async Task SelfSubjectAccessReview_ResourceAttributes_AllowedAsTheChainDecides(string who, string resource, bool allowed)
    {
        var answer = await CreateAsync("selfsubjectaccessreviews", """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"list","resource":"RESOURCE","namespace":"default"}}}""".Replace("RESOURCE", resource, StringComparison.Ordinal), who == "admin" ? _admin : _jane);

        Assert.Equal($$$"""{"allowed":{{{(allowed ? "true" : "false")}}}}""", answer["status"]!.ToJsonString());
        Assert.Equal(resource, answer["spec"]!["resourceAttributes"]!["resource"]!.GetValue<string>());
    }

    [Fact]
    public async Task SelfSubjectAccessReview_NonResourceDiscoveryPath_AllowedForAnyUser()
    {
        var answer = await CreateAsync("selfsubjectaccessreviews", """{"spec":{"nonResourceAttributes":{"verb":"get","path":"/apis"}}}""", _jane);

        Assert.True(answer["status"]!["allowed"]!.GetValue<bool>());
    }

    [Theory]
    // pkg/apis/authorization/validation (1.32): the messages upstream's 422 carries.
    [InlineData("""{"spec":{"user":"jane"}}""", """.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified""")]
    [InlineData("""{"spec":{"resourceAttributes":{"verb":"get"}}}""", """.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified""")]
    [InlineData("""{"spec":{}}""", """.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]""")]
    [InlineData("""{"spec":{"groups":["g"],"resourceAttributes":{},"nonResourceAttributes":{"path":"/x","verb":"get"}}}""", """.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes""")]
    [InlineData("""{"metadata":{"name":"x"},"spec":{"user":"u","resourceAttributes":{}}}""", """.authorization.k8s.io "" is invalid: metadata: Invalid value: map[string]interface {}{"name":"x"}: must be empty""")]
    public async Task SubjectAccessReview_Invalid_422WithUpstreamsMessage(string body, string message)
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => CreateAsync("subjectaccessreviews", body, _admin));

        Assert.Equal((422, "Invalid", message), (error.Code, error.Reason, error.Message));
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData("jane", false)]
    public async Task SubjectAccessReview_SubjectFromSpec_NotTheCaller(string subject, bool allowed)
    {
        var groups = subject == "admin" ? """["system:masters"]""" : "[]";
        var answer = await CreateAsync("subjectaccessreviews", """{"spec":{"user":"SUBJECT","groups":GROUPS,"resourceAttributes":{"verb":"delete","resource":"nodes"}}}""".Replace("SUBJECT", subject, StringComparison.Ordinal).Replace("GROUPS", groups, StringComparison.Ordinal), _jane);

        Assert.Equal(allowed, answer["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task LocalSubjectAccessReview_NamespaceOtherThanTheObjects_422()
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => CreateAsync("localsubjectaccessreviews", """{"metadata":{"namespace":"a"},"spec":{"user":"u","resourceAttributes":{"namespace":"b","verb":"get"}}}""", _admin, "a"));

        Assert.Equal(""".authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "b": must match metadata.namespace""", error.Message);
    }

    [Fact]
    public async Task LocalSubjectAccessReview_SameNamespace_Answered()
    {
        var answer = await CreateAsync("localsubjectaccessreviews", """{"metadata":{"namespace":"a"},"spec":{"groups":["system:masters"],"resourceAttributes":{"namespace":"a","verb":"get","resource":"pods"}}}""", _jane, "a");

        Assert.True(answer["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SelfSubjectRulesReview_Master_UpstreamShapedAllRules()
    {
        var answer = await CreateAsync("selfsubjectrulesreviews", """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"default"}}""", _admin);
        var status = answer["status"]!;

        Assert.Equal("""{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}""", status["resourceRules"]![0]!.ToJsonString());
        Assert.Equal("""{"verbs":["*"],"nonResourceURLs":["*"]}""", status["nonResourceRules"]![0]!.ToJsonString());
        Assert.False(status["incomplete"]!.GetValue<bool>());
        Assert.Equal("{}", answer["spec"]!.ToJsonString());
    }

    [Fact]
    public async Task SelfSubjectRulesReview_PlainUser_OnlyTheDefaultPolicy()
    {
        var status = (await CreateAsync("selfsubjectrulesreviews", """{"spec":{"namespace":"default"}}""", _jane))["status"]!;

        Assert.DoesNotContain(status["resourceRules"]!.AsArray(), r => r!["verbs"]![0]!.GetValue<string>() == "*");
        Assert.All(status["resourceRules"]!.AsArray(), r => Assert.Equal("""["create"]""", r!["verbs"]!.ToJsonString()));
    }

    [Fact]
    public async Task SelfSubjectRulesReview_NoNamespace_400()
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => CreateAsync("selfsubjectrulesreviews", """{"spec":{}}""", _jane));

        Assert.Equal((400, "no namespace on request"), (error.Code, error.Message));
    }

    [Theory]
    [InlineData("tok", """{"authenticated":true,"user":{"username":"jane","uid":"u-1","groups":["dev","system:authenticated"]},"audiences":["https://kubernetes.default.svc.cluster.local","k3s"]}""")]
    [InlineData("unknown", """{"user":{}}""")]
    public async Task TokenReview_Token_AnsweredByTheTokenAuthenticators(string token, string status)
    {
        var answer = await CreateAsync("tokenreviews", $$$"""{"spec":{"token":"{{{token}}}"}}""", _admin);

        Assert.Equal(status, answer["status"]!.ToJsonString());
    }

    [Fact]
    public async Task TokenReview_NoToken_400()
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => CreateAsync("tokenreviews", """{"spec":{}}""", _admin));

        Assert.Equal((400, "token is required for TokenReview in authentication"), (error.Code, error.Message));
    }

    private Task<JsonObject> CreateAsync(string plural, string body, UserInfo user, string? ns = null)
    {
        var definition = _catalog.Single(d => d.Plural == plural);
        Assert.True(definition.CreateOnly);
        return _resources.For(definition)!.CreateAsync(JsonNode.Parse(body)!.AsObject(), ns, user, CancellationToken.None);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
