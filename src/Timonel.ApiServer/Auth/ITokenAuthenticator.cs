namespace Timonel.ApiServer.Auth;

/// <summary>Authenticates a bearer token on its own (authenticator.Token), so TokenReview can ask the same
/// authenticators a request's Authorization header goes through.</summary>
public interface ITokenAuthenticator
{
    /// <summary>The token's user, or null when this authenticator does not know the token.</summary>
    Task<UserInfo?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken);
}
