namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// A binding's subject as an index key: ("User", name), ("Group", name) or ("ServiceAccount", "namespace:name"). A
/// RoleBinding's ServiceAccount without a namespace means one in the binding's namespace (upstream's appliesToUser).
/// </summary>
public readonly record struct RbacSubject(string Kind, string Name)
{
    public const string User = "User";
    public const string Group = "Group";
    public const string ServiceAccount = "ServiceAccount";

    /// <summary>serviceaccount.ServiceAccountUsernamePrefix: a service account's user name is system:serviceaccount:NS:NAME.</summary>
    public const string ServiceAccountUserPrefix = "system:serviceaccount:";

    /// <summary>The keys under which bindings that apply to <paramref name="user"/> are indexed.</summary>
    public static IEnumerable<RbacSubject> Of(UserInfo user)
    {
        yield return new(User, user.Name);
        foreach (var group in user.Groups)
        {
            yield return new(Group, group);
        }

        if (user.Name.StartsWith(ServiceAccountUserPrefix, StringComparison.Ordinal))
        {
            var rest = user.Name[ServiceAccountUserPrefix.Length..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && colon < rest.Length - 1 && rest.IndexOf(':', colon + 1) < 0)
            {
                yield return new(ServiceAccount, rest);
            }
        }
    }
}
