namespace Timonel.ApiServer.Printing;

/// <summary>A request for a table: which meta.k8s.io version and how much of each object to include.</summary>
public sealed record TableRequest(string ApiVersion, string IncludeObject);
