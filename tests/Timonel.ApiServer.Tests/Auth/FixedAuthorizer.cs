using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Tests.Auth;

/// <summary>An authorizer that gives the same decision to every request.</summary>
internal sealed class FixedAuthorizer(AuthorizationDecision decision) : IAuthorizer
{
    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request) => decision;
}
