namespace Timonel.HostileTests.Identities;

/// <summary>
/// Who sends the cases: no credentials, a bearer token no authenticator knows (both 401 as upstream's "Unauthorized"
/// Status), or a static-token user with no bindings (403, upstream's "User ... cannot ..." text).
/// </summary>
internal sealed record HostileIdentity(string Name, string? BearerToken, Expectation Expected)
{
    public const string NobodyToken = "hostile-nobody-token";
    public const string NobodyName = "hostile-nobody";

    public static IReadOnlyList<HostileIdentity> All { get; } =
    [
        new("anonymous", null, new Expectation(401, "Unauthorized", "Unauthorized")),
        new("bad token", "not-a-token-anyone-issued", new Expectation(401, "Unauthorized", "Unauthorized")),
        new("no bindings", NobodyToken, new Expectation(403, "Forbidden", $"User \"{NobodyName}\" cannot ")),
    ];

    public override string ToString() => Name;
}
