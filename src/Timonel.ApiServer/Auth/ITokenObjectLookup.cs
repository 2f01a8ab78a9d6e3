namespace Timonel.ApiServer.Auth;

/// <summary>
/// Finds the objects a service-account token names (its ServiceAccount, and the pod, secret or node it is bound to),
/// so a token outlives none of them nor a re-creation of one under the same name.
/// </summary>
public interface ITokenObjectLookup
{
    /// <summary>
    /// The object <paramref name="resource"/> (core group: "serviceaccounts", "pods", "secrets", "nodes")
    /// <paramref name="ns"/>/<paramref name="name"/>, or null when there is none.
    /// </summary>
    Task<TokenObject?> FindAsync(string resource, string? ns, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Labels the Secret <paramref name="ns"/>/<paramref name="name"/> (if it still has UID <paramref name="uid"/>)
    /// kubernetes.io/legacy-token-last-used=<paramref name="day"/>, as upstream's legacy validator records a legacy
    /// token's use.
    /// </summary>
    Task MarkLegacyTokenUsedAsync(string ns, string name, string uid, string day, CancellationToken cancellationToken);
}
