namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>A binding of the default policy: a ClusterRoleBinding when <see cref="Namespace"/> is null, else a RoleBinding there.</summary>
public sealed record BootstrapBinding(string Name, string RoleKind, string RoleName, IReadOnlyList<BootstrapSubject> Subjects, string? Namespace = null);
