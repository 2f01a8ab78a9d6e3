namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// A RoleBinding (<see cref="Namespace"/> set) or ClusterRoleBinding as the authorizer keeps it: whom it names and
/// the role it grants them.
/// </summary>
public sealed record RbacBinding(string Namespace, string Name, string RoleKind, string RoleName, IReadOnlyList<RbacSubject> Subjects)
{
    public bool IsClusterBinding => Namespace.Length == 0;
}
