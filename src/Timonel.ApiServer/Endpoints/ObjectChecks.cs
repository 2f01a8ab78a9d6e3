using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Checks a body is the kind the URL addresses, filling apiVersion/kind when the client left them out.</summary>
public static class ObjectChecks
{
    public static void CheckKind(JsonObject body, ResourceDefinition definition)
    {
        var apiVersion = body.StringAt("apiVersion");
        var kind = body.StringAt("kind");
        if (body["metadata"] is not null and not JsonObject)
        {
            throw StatusException.BadRequest("metadata: the object's metadata must be a JSON object");
        }

        if (!string.IsNullOrEmpty(kind) && kind != definition.Kind)
        {
            throw StatusException.BadRequest($"the kind in the body ({kind}) does not match the kind of the resource ({definition.Kind})");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != definition.ApiVersion)
        {
            throw StatusException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({definition.ApiVersion})");
        }

        body["apiVersion"] = definition.ApiVersion;
        body["kind"] = definition.Kind;
    }
}
