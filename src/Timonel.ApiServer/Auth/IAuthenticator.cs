using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Auth;

/// <summary>One way of proving identity (client certificate, bearer token, ...).</summary>
public interface IAuthenticator
{
    /// <summary>The user, or null when this method does not apply or fails (the next one is tried).</summary>
    Task<UserInfo?> AuthenticateAsync(HttpContext context);
}
