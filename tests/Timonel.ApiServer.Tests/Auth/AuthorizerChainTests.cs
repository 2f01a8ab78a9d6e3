using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Tests.Auth.Rbac;

namespace Timonel.ApiServer.Tests.Auth;

public sealed class AuthorizerChainTests
{
    private static readonly AuthorizerChain _chain = TestPolicy.DefaultChain();
    private static readonly UserInfo _admin = UserInfo.Authenticated("admin", [UserInfo.MastersGroup]);
    private static readonly UserInfo _jane = UserInfo.Authenticated("jane", ["dev"]);

    public static TheoryData<string, RequestAttributes, bool> Requests => new()
    {
        { "admin", new RequestAttributes("delete", "apps", "deployments", null, "default", "web", ""), true },
        { "jane", new RequestAttributes("list", "", "pods", null, "default", null, ""), false },
        { "jane", new RequestAttributes("create", "authorization.k8s.io", "selfsubjectaccessreviews", null, null, null, ""), true },
        { "jane", new RequestAttributes("create", "authorization.k8s.io", "subjectaccessreviews", null, null, null, ""), false },
        { "jane", new RequestAttributes("create", "authentication.k8s.io", "selfsubjectreviews", null, null, null, ""), true },
        { "jane", new RequestAttributes("get", "authentication.k8s.io", "selfsubjectreviews", null, null, null, ""), false },
        { "jane", RequestAttributes.NonResource("get", "/apis/apps/v1"), true },
        { "jane", RequestAttributes.NonResource("get", "/version"), true },
        { "jane", RequestAttributes.NonResource("post", "/api"), false },
        { "jane", RequestAttributes.NonResource("get", "/metrics"), false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Authorize_DefaultChain_AllowsAsUpstreamsDefaultPolicy(string who, RequestAttributes request, bool allowed)
    {
        var decision = _chain.Authorize(who == "admin" ? _admin : _jane, request);

        Assert.Equal(allowed ? AuthorizationOutcome.Allow : AuthorizationOutcome.NoOpinion, decision.Outcome);
    }

    [Fact]
    public void Authorize_FirstOpinionWins_LaterAuthorizersNotAsked()
    {
        var chain = new AuthorizerChain([new FixedAuthorizer(new AuthorizationDecision(AuthorizationOutcome.Deny, "blocked")), new SystemMastersAuthorizer()]);

        var decision = chain.Authorize(_admin, RequestAttributes.NonResource("get", "/api"));

        Assert.Equal(new AuthorizationDecision(AuthorizationOutcome.Deny, "blocked"), decision);
    }

    [Fact]
    public void Authorize_NoOpinions_ReasonsJoined()
    {
        var chain = new AuthorizerChain([new FixedAuthorizer(new AuthorizationDecision(AuthorizationOutcome.NoOpinion, "a")), new FixedAuthorizer(new AuthorizationDecision(AuthorizationOutcome.NoOpinion, "b"))]);

        Assert.Equal("a\nb", chain.Authorize(_jane, RequestAttributes.NonResource("get", "/api")).Reason);
    }

    [Fact]
    public void RulesFor_Master_AllRulesAndTheSelfReviews()
    {
        var rules = _chain.RulesFor(_admin, "default");

        // Listed through RBAC's cluster-admin binding of system:masters, as upstream lists them.
        Assert.Equal(["*"], rules.ResourceRules[0].Verbs);
        Assert.Equal(["*"], rules.ResourceRules[0].Resources);
        Assert.Equal(["*"], rules.NonResourceRules[0].NonResourceUrls);
        Assert.Contains(rules.ResourceRules, r => r.Resources.Contains("selfsubjectaccessreviews"));
        Assert.False(rules.Incomplete);
    }

    [Fact]
    public void RulesFor_AuthorizerThatCannotList_Incomplete()
    {
        var chain = new AuthorizerChain([new SystemMastersAuthorizer(), new FixedAuthorizer(AuthorizationDecision.NoOpinion)]);

        var rules = chain.RulesFor(_jane, "default");

        Assert.Empty(rules.ResourceRules);
        Assert.True(rules.Incomplete);
    }

    [Theory]
    [InlineData("pods", null, "*/status", false)]
    [InlineData("pods", "status", "*/status", true)]
    [InlineData("pods", "status", "pods", false)]
    [InlineData("pods", "status", "pods/status", true)]
    [InlineData("pods", null, "*", true)]
    public void ResourceRuleAllows_Subresources_MatchedAsRbac(string resource, string? subresource, string ruleResource, bool allowed)
    {
        var rule = new ResourceRule(["get"], [""], [ruleResource], []);

        Assert.Equal(allowed, rule.Allows(new RequestAttributes("get", "", resource, subresource, "default", "p", "")));
    }

    [Theory]
    [InlineData("/apis/*", "/apis/apps/v1", true)]
    [InlineData("/apis/*", "/api", false)]
    [InlineData("/healthz", "/healthz/etcd", false)]
    [InlineData("*", "/anything", true)]
    public void NonResourceRuleAllows_PrefixRules_MatchedAsRbac(string url, string path, bool allowed)
    {
        Assert.Equal(allowed, new NonResourceRule(["get"], [url]).Allows(RequestAttributes.NonResource("get", path)));
    }
}
