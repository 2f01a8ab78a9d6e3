namespace Timonel.ApiServer.Auth;

/// <summary>What token authentication needs of an object a token names: its UID and when its deletion began.</summary>
public sealed record TokenObject(string Uid, DateTimeOffset? DeletionTimestamp)
{
    /// <summary>A Secret's data.token, decoded: the legacy token it holds; null for other objects or none.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// A Secret labelled kubernetes.io/legacy-token-invalid-since (upstream's legacy token cleaner marks unused
    /// tokens so): its legacy token no longer authenticates.
    /// </summary>
    public bool LegacyTokenInvalidated { get; init; }

    /// <summary>A Secret's kubernetes.io/legacy-token-last-used label (yyyy-MM-dd), null when it has none.</summary>
    public string? LegacyTokenLastUsed { get; init; }
}
