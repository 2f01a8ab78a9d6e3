namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>A subject of a default binding: User, Group or ServiceAccount (with its namespace).</summary>
public sealed record BootstrapSubject(string Kind, string Name, string? Namespace = null)
{
    public static BootstrapSubject User(string name) => new(RbacSubject.User, name);

    public static BootstrapSubject Group(string name) => new(RbacSubject.Group, name);

    public static BootstrapSubject ServiceAccount(string ns, string name) => new(RbacSubject.ServiceAccount, name, ns);
}
