namespace Timonel.ApiServer.Audit;

/// <summary>
/// A rule's resources of one API group (audit.k8s.io/v1 GroupResources): "pods", "pods/log", "*", "*/status",
/// "pods/*"; no resources means every resource of the group; resourceNames narrow to those names.
/// </summary>
public sealed record AuditGroupResources(string Group, IReadOnlyList<string> Resources, IReadOnlyList<string> ResourceNames);
