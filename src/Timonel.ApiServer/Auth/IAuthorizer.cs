namespace Timonel.ApiServer.Auth;

/// <summary>Decides whether a user may do a request; RBAC plugs in here later.</summary>
public interface IAuthorizer
{
    AuthorizationDecision Authorize(UserInfo user, RequestAttributes request);
}
