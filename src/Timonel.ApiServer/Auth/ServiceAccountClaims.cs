namespace Timonel.ApiServer.Auth;

/// <summary>
/// What a verified token says (upstream's privateClaims, pkg/serviceaccount/claims.go): the service account's
/// namespace, name and UID at issue time, and the pod, secret or node the token is bound to, if any.
/// </summary>
public sealed record ServiceAccountClaims(string Namespace, string Name, string Uid)
{
    public string UserName => $"system:serviceaccount:{Namespace}:{Name}";

    public TokenBinding? Pod { get; init; }

    public TokenBinding? Secret { get; init; }

    public TokenBinding? Node { get; init; }

    /// <summary>
    /// For a legacy token (iss kubernetes/serviceaccount), the service-account-token Secret that must still hold it;
    /// null for a TokenRequest token.
    /// </summary>
    public string? LegacySecret { get; init; }

    /// <summary>The jti claim, "" when the token has none.</summary>
    public string Id { get; init; } = "";
}
