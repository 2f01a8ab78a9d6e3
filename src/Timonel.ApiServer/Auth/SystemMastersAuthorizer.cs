namespace Timonel.ApiServer.Auth;

/// <summary>Members of system:masters may do anything (upstream's privileged-group authorizer).</summary>
public sealed class SystemMastersAuthorizer : IAuthorizer, IRuleResolver
{
    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request) =>
        IsMaster(user) ? AuthorizationDecision.Allow : AuthorizationDecision.NoOpinion;

    // Upstream's privileged-group authorizer lists no rules: a master's rules are listed through RBAC's cluster-admin
    // binding of system:masters (bootstrappolicy), so they are not listed twice.
    public SubjectRules RulesFor(UserInfo user, string ns) => SubjectRules.None;

    private static bool IsMaster(UserInfo user) => user.Groups.Contains(UserInfo.MastersGroup);
}
