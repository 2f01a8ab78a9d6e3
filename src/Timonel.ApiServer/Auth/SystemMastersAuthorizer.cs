namespace Timonel.ApiServer.Auth;

/// <summary>Members of system:masters may do anything (upstream's privileged-group authorizer).</summary>
public sealed class SystemMastersAuthorizer : IAuthorizer, IRuleResolver
{
    // Upstream lists a master's rules through RBAC's cluster-admin binding of system:masters (bootstrappolicy):
    // every verb on every resource and every URL.
    private static readonly SubjectRules _masterRules = new([ResourceRule.All], [NonResourceRule.All], false);

    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request) =>
        IsMaster(user) ? AuthorizationDecision.Allow : AuthorizationDecision.NoOpinion;

    public SubjectRules RulesFor(UserInfo user, string ns) => IsMaster(user) ? _masterRules : SubjectRules.None;

    private static bool IsMaster(UserInfo user) => user.Groups.Contains(UserInfo.MastersGroup);
}
