using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// Whether a user may approve or sign for a signer (pkg/apis/certificates/helpers.go IsAuthorizedForSignerName):
/// the verb on certificates.k8s.io "signers" named after the signer, or else on its domain wildcard "example.com/*".
/// </summary>
internal static class SignerAuthorization
{
    public static bool IsAuthorized(IAuthorizer authorizer, UserInfo user, string verb, string signerName)
    {
        if (Allowed(authorizer, user, verb, signerName))
        {
            return true;
        }

        var slash = signerName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && Allowed(authorizer, user, verb, signerName[..slash] + "/*");
    }

    private static bool Allowed(IAuthorizer authorizer, UserInfo user, string verb, string name) =>
        authorizer.Authorize(user, new RequestAttributes(verb, "certificates.k8s.io", "signers", null, null, name, "")).Outcome == AuthorizationOutcome.Allow;
}
