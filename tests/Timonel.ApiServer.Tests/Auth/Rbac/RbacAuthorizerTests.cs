using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Auth.Rbac;

namespace Timonel.ApiServer.Tests.Auth.Rbac;

public sealed class RbacAuthorizerTests
{
    private const string PodReader = """{"kind":"Role","metadata":{"namespace":"a","name":"pod-reader"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods","pods/log"]}]}""";
    private const string JaneReadsPods = """{"kind":"RoleBinding","metadata":{"namespace":"a","name":"jane-pods"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}]}""";
    private const string SaReadsPods = """{"kind":"RoleBinding","metadata":{"namespace":"a","name":"sa-pods"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"},"subjects":[{"kind":"ServiceAccount","name":"robot"}]}""";
    private const string DevsView = """{"kind":"RoleBinding","metadata":{"namespace":"b","name":"devs-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:aggregate-to-view"},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"devs"}]}""";
    private const string Scaler = """{"kind":"ClusterRole","metadata":{"name":"scaler"},"rules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*/scale"]},{"verbs":["get"],"apiGroups":[""],"resources":["configmaps"],"resourceNames":["settings"]},{"verbs":["get"],"nonResourceURLs":["/metrics","/logs/*"]}]}""";
    private const string JaneScales = """{"kind":"ClusterRoleBinding","metadata":{"name":"jane-scales"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"scaler"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}]}""";
    private const string Dangling = """{"kind":"ClusterRoleBinding","metadata":{"name":"dangling"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"gone"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"}]}""";

    private static readonly RbacAuthorizer _rbac = new(TestPolicy.Cache(PodReader, JaneReadsPods, SaReadsPods, DevsView, Scaler, JaneScales, Dangling));
    private static readonly UserInfo _jane = UserInfo.Authenticated("jane", []);
    private static readonly UserInfo _dev = UserInfo.Authenticated("sam", ["devs"]);
    private static readonly UserInfo _robot = UserInfo.Authenticated("system:serviceaccount:a:robot", ["system:serviceaccounts", "system:serviceaccounts:a"]);

    public static TheoryData<string, RequestAttributes, bool> Requests => new()
    {
        { "jane", new RequestAttributes("list", "", "pods", null, "a", null, ""), true },
        { "jane", new RequestAttributes("get", "", "pods", "log", "a", "p", ""), true },
        { "jane", new RequestAttributes("delete", "", "pods", null, "a", "p", ""), false },
        { "jane", new RequestAttributes("list", "", "pods", null, "b", null, ""), false },
        { "jane", new RequestAttributes("list", "", "secrets", null, "a", null, ""), false },
        { "jane", new RequestAttributes("get", "", "pods", "exec", "a", "p", ""), false },
        // "*/scale" matches any resource's scale subresource, in any namespace (a cluster role through a cluster binding).
        { "jane", new RequestAttributes("update", "apps", "deployments", "scale", "z", "web", ""), true },
        { "jane", new RequestAttributes("update", "apps", "deployments", null, "z", "web", ""), false },
        // Resource names: only the named object, never a list.
        { "jane", new RequestAttributes("get", "", "configmaps", null, "z", "settings", ""), true },
        { "jane", new RequestAttributes("get", "", "configmaps", null, "z", "other", ""), false },
        { "jane", new RequestAttributes("list", "", "configmaps", null, "z", null, ""), false },
        { "jane", RequestAttributes.NonResource("get", "/metrics"), true },
        { "jane", RequestAttributes.NonResource("get", "/logs/kubelet.log"), true },
        { "jane", RequestAttributes.NonResource("get", "/logs"), false },
        { "jane", RequestAttributes.NonResource("get", "/version"), true },
        // A ServiceAccount subject without a namespace is one in the binding's namespace.
        { "robot", new RequestAttributes("list", "", "pods", null, "a", null, ""), true },
        { "robot", new RequestAttributes("list", "", "pods", null, "b", null, ""), false },
        { "dev", new RequestAttributes("watch", "apps", "deployments", null, "b", null, ""), true },
        { "dev", new RequestAttributes("get", "", "secrets", null, "b", "s", ""), false },
        { "dev", new RequestAttributes("watch", "apps", "deployments", null, "a", null, ""), false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Authorize_Bindings_AllowAsUpstreamsRuleAllows(string who, RequestAttributes request, bool allowed)
    {
        var user = who switch { "jane" => _jane, "robot" => _robot, _ => _dev };

        var decision = _rbac.Authorize(user, request);

        Assert.Equal(allowed ? AuthorizationOutcome.Allow : AuthorizationOutcome.NoOpinion, decision.Outcome);
        Assert.Equal("", decision.Reason);
    }

    [Fact]
    public void Authorize_BindingToMissingRole_ReasonNamesTheRole()
    {
        var decision = _rbac.Authorize(UserInfo.Authenticated("bob", []), new RequestAttributes("list", "", "pods", null, "a", null, ""));

        Assert.Equal(new AuthorizationDecision(AuthorizationOutcome.NoOpinion, "RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found"), decision);
    }

    [Fact]
    public void Authorize_RemovedBinding_NoLongerAllowed()
    {
        var cache = TestPolicy.Cache(PodReader, JaneReadsPods);
        var rbac = new RbacAuthorizer(cache);
        var list = new RequestAttributes("list", "", "pods", null, "a", null, "");
        Assert.Equal(AuthorizationOutcome.Allow, rbac.Authorize(_jane, list).Outcome);

        cache.Remove(RbacPolicyCache.RoleBindings, "a", "jane-pods");

        Assert.Equal(AuthorizationOutcome.NoOpinion, rbac.Authorize(_jane, list).Outcome);
    }

    [Fact]
    public void RulesFor_Namespace_ClusterAndNamespaceBindingsSplitIntoResourceAndUrlRules()
    {
        var rules = _rbac.RulesFor(_jane, "a");

        Assert.Contains(rules.ResourceRules, r => r.Resources.SequenceEqual(["pods", "pods/log"]) && r.Verbs.SequenceEqual(["get", "list"]));
        Assert.Contains(rules.ResourceRules, r => r.Resources.SequenceEqual(["*/scale"]));
        Assert.Contains(rules.ResourceRules, r => r.Resources.SequenceEqual(["selfsubjectaccessreviews", "selfsubjectrulesreviews"]));
        Assert.Contains(rules.NonResourceRules, r => r.NonResourceUrls.SequenceEqual(["/metrics", "/logs/*"]));
        Assert.False(rules.Incomplete);
    }

    [Fact]
    public void RulesFor_OtherNamespace_OnlyClusterWideRules()
    {
        var rules = _rbac.RulesFor(_jane, "b");

        Assert.DoesNotContain(rules.ResourceRules, r => r.Resources.Contains("pods"));
    }

    [Fact]
    public void RulesFor_BindingToMissingRole_Incomplete()
    {
        Assert.True(_rbac.RulesFor(UserInfo.Authenticated("bob", []), "a").Incomplete);
    }

    [Fact]
    public void Authorize_UnauthenticatedNonResource_PublicInfoOnly()
    {
        var anonymous = new UserInfo("system:anonymous", ["system:unauthenticated"]);

        Assert.Equal(AuthorizationOutcome.Allow, _rbac.Authorize(anonymous, RequestAttributes.NonResource("get", "/healthz")).Outcome);
        Assert.Equal(AuthorizationOutcome.NoOpinion, _rbac.Authorize(anonymous, RequestAttributes.NonResource("get", "/apis")).Outcome);
    }
}
