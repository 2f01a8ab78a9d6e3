namespace Timonel.ApiServer.Auth;

/// <summary>The service account a verified token was issued for: its namespace, name and UID at issue time.</summary>
public sealed record ServiceAccountClaims(string Namespace, string Name, string Uid)
{
    public string UserName => $"system:serviceaccount:{Namespace}:{Name}";
}
