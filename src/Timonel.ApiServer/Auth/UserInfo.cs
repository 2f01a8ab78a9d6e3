namespace Timonel.ApiServer.Auth;

/// <summary>Who made a request (user.Info): name and groups, system:authenticated included, and the UID and extra
/// attributes an authenticator knows (a static token file's uid column, a service account's UID).</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string MastersGroup = "system:masters";
    public const string AuthenticatedGroup = "system:authenticated";

    /// <summary>The user's UID, "" when the authenticator has none (client certificates).</summary>
    public string Uid { get; init; } = "";

    /// <summary>Extra attributes (user.Info.GetExtra()), empty for the authenticators Timonel has today.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public static UserInfo Authenticated(string name, IEnumerable<string> groups, string uid = "") =>
        new(name, [.. groups.Append(AuthenticatedGroup).Distinct(StringComparer.Ordinal)]) { Uid = uid };
}
