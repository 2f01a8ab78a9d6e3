using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// What one admission call is about (upstream's admission.Attributes): the operation, the resource and subresource,
/// the object's namespace and name, the new object (which mutating plugins change in place; null on delete) and the
/// stored one (null on create), and who asks.
/// </summary>
public sealed record AdmissionAttributes(AdmissionOperation Operation, ResourceDefinition Resource, string? Namespace, string Name, JsonObject? Object, JsonObject? OldObject)
{
    /// <summary>"" for the resource itself, else the subresource ("status").</summary>
    public string Subresource { get; init; } = "";

    public bool DryRun { get; init; }

    /// <summary>The requesting user (upstream's GetUserInfo); null for the server's own writes.</summary>
    public UserInfo? User { get; init; } = RequestUser.Current;
}
