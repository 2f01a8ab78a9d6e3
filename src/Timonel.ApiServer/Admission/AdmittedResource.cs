namespace Timonel.ApiServer.Admission;

/// <summary>A resource a plugin admits, by group and URL name ("" and "pods"); the subresource "" is the resource itself.</summary>
public sealed record AdmittedResource(string Group, string Resource, string Subresource = "");
