namespace Timonel.ApiServer.Auth;

/// <summary>
/// What upstream's default RBAC policy grants every authenticated user (plugin/pkg/auth/authorizer/rbac/bootstrappolicy,
/// the roles bound to system:authenticated): system:basic-user (the self reviews, so <c>kubectl auth whoami</c> and
/// <c>can-i</c> work for anyone), system:discovery and system:public-info-viewer. Until RBAC objects are evaluated,
/// this is the part of the default policy every cluster has.
/// </summary>
public sealed class BootstrapPolicyAuthorizer : IAuthorizer, IRuleResolver
{
    private static readonly SubjectRules _authenticatedRules = new(
        [
            // system:basic-user
            new ResourceRule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], []),
            new ResourceRule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"], []),
        ],
        [
            // system:discovery
            new NonResourceRule(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"]),
            // system:public-info-viewer
            new NonResourceRule(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/"]),
        ],
        false);

    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request)
    {
        var rules = RulesFor(user, request.Namespace ?? "");
        return rules.ResourceRules.Any(r => r.Allows(request)) || rules.NonResourceRules.Any(r => r.Allows(request))
            ? AuthorizationDecision.Allow
            : AuthorizationDecision.NoOpinion;
    }

    public SubjectRules RulesFor(UserInfo user, string ns)
    {
        var rules = user.Groups.Contains(UserInfo.AuthenticatedGroup) ? _authenticatedRules : SubjectRules.None;

        // Temporary, until RBAC evaluates ClusterRoleBindings: joining nodes' rights (NodeBootstrapPolicy's bindings).
        var nodeBootstrap = NodeBootstrapPolicy.RulesFor(user.Groups);
        return nodeBootstrap.Count == 0 ? rules : rules with { ResourceRules = [.. rules.ResourceRules, .. nodeBootstrap] };
    }
}
