namespace Timonel.ApiServer.Auth;

/// <summary>Members of system:masters may do anything (upstream's privileged-group authorizer).</summary>
public sealed class SystemMastersAuthorizer : IAuthorizer
{
    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request) =>
        user.Groups.Contains(UserInfo.MastersGroup) ? AuthorizationDecision.Allow : AuthorizationDecision.NoOpinion;
}
