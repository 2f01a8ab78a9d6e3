namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// Who writes, for field ownership: the field manager (the fieldManager query parameter, or the client's user agent
/// up to its first '/', as upstream defaults it), the API version written and the subresource ("status", "scale")
/// or null for the resource itself.
/// </summary>
public sealed record FieldOwner(string Manager, string ApiVersion, string? Subresource = null);
