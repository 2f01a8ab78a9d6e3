using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Auth;

/// <summary>
/// Bearer tokens this server signed for a service account: user system:serviceaccount:NS:NAME in groups
/// system:serviceaccounts and system:serviceaccounts:NS, with the account's UID. As upstream's validator
/// (pkg/serviceaccount/claims.go), the account must still exist with the UID the token was issued for: deleting a
/// ServiceAccount, or deleting and re-creating it under the same name, revokes its tokens.
/// </summary>
public sealed class ServiceAccountTokenAuthenticator(ServiceAccountTokens tokens, IServiceAccountLookup accounts) : IAuthenticator, ITokenAuthenticator
{
    public async Task<UserInfo?> AuthenticateAsync(HttpContext context) =>
        StaticTokenAuthenticator.BearerToken(context.Request) is { } token
            ? await AuthenticateTokenAsync(token, context.RequestAborted).ConfigureAwait(false)
            : null;

    public async Task<UserInfo?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (tokens.ReadClaims(token) is not { } claims
            || await accounts.FindUidAsync(claims.Namespace, claims.Name, cancellationToken).ConfigureAwait(false) != claims.Uid)
        {
            return null;
        }

        return UserInfo.Authenticated(claims.UserName, ["system:serviceaccounts", $"system:serviceaccounts:{claims.Namespace}"], claims.Uid);
    }
}
