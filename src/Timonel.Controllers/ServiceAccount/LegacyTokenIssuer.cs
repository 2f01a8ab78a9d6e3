namespace Timonel.Controllers.ServiceAccount;

/// <summary>
/// Signs a legacy service-account token (upstream's LegacyClaims) for the Secret <paramref name="secretName"/> of
/// account <paramref name="ns"/>/<paramref name="serviceAccount"/> with UID <paramref name="uid"/>: the API server's
/// service-account key lives in the server process, which hands the controllers this delegate.
/// </summary>
public delegate string LegacyTokenIssuer(string ns, string serviceAccount, string uid, string secretName);
