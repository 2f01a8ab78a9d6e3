namespace Timonel.ApiServer.Audit;

/// <summary>The object a resource request addresses (audit.k8s.io/v1 ObjectReference); empty parts are left out.</summary>
public sealed record AuditObjectReference(string Resource, string? Namespace, string? Name, string ApiGroup, string ApiVersion, string? Subresource);
