using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Applies one patch document of a given type to an object.</summary>
public static class PatchApplier
{
    public static JsonObject Apply(string patchType, JsonObject current, byte[] patch, ResourceDefinition definition) =>
        throw StatusException.UnsupportedMediaType(patchType, ["application/json"]);
}
