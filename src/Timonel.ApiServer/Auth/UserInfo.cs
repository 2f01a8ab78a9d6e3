namespace Timonel.ApiServer.Auth;

/// <summary>Who made a request (user.Info): name and groups, system:authenticated included.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string MastersGroup = "system:masters";
    public const string AuthenticatedGroup = "system:authenticated";

    public static UserInfo Authenticated(string name, IEnumerable<string> groups) =>
        new(name, [.. groups.Append(AuthenticatedGroup).Distinct(StringComparer.Ordinal)]);
}
