using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The behaviour of a <see cref="ResourceDefinition.CreateOnly"/> kind (upstream's rest.Creater-only registries, the
/// review APIs): a create is answered with an object carrying the server's verdict in its status; nothing is stored.
/// </summary>
public interface ICreateOnlyResource
{
    /// <summary>
    /// The answer to <paramref name="user"/> creating <paramref name="body"/> (kind and apiVersion already checked) in
    /// <paramref name="ns"/> (null for a cluster-scoped kind). Throws a StatusException: 422 for an invalid object,
    /// 400 for one the kind cannot answer.
    /// </summary>
    Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, CancellationToken cancellationToken);

    /// <summary>
    /// The same with the request's dryRun: a kind whose create changes stored objects (a Binding) changes nothing
    /// when <paramref name="dryRun"/>; the reviews, which store nothing, answer alike.
    /// </summary>
    Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, bool dryRun, CancellationToken cancellationToken) =>
        CreateAsync(body, ns, user, cancellationToken);
}
