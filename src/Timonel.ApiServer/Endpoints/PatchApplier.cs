using System.Text.Json.Nodes;
using Timonel.Api.Patching;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Applies one patch document of a given type to an object, with upstream's answers for what cannot be applied:
/// 415 for strategic merge on kinds without patch metadata (custom resources), 400/422 for malformed patches.
/// </summary>
public static class PatchApplier
{
    /// <summary>handlers/patch.go's maxJSONPatchOperations.</summary>
    public const int MaxJsonPatchOperations = 10000;

    public static JsonObject Apply(string patchType, JsonObject current, byte[] patch, ResourceDefinition definition)
    {
        try
        {
            var result = patchType switch
            {
                "application/json-patch+json" => JsonPatch.Apply(current, JsonPatchOperations(patch)),
                "application/merge-patch+json" => JsonMergePatch.Apply(current, RequestBody.ParseJson(patch)),
                "application/strategic-merge-patch+json" => StrategicMerge(current, patch, definition),
                _ => throw StatusException.UnsupportedMediaType(patchType, ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]),
            };
            return result as JsonObject ?? throw StatusException.BadRequest("the patch did not result in a JSON object");
        }
        catch (PatchException ex)
        {
            // Upstream answers patches that cannot apply with 422 for conflicts in content, 400 when malformed.
            throw ex.IsMalformedPatch ? StatusException.BadRequest(ex.Message) : new StatusException(422, "Invalid", ex.Message);
        }
    }

    // handlers/patch.go refuses a long patch before applying any of it.
    private static JsonNode? JsonPatchOperations(byte[] patch)
    {
        var operations = RequestBody.ParseJson(patch);
        return operations is JsonArray { Count: > MaxJsonPatchOperations } list
            ? throw StatusException.RequestEntityTooLarge($"The allowed maximum operations in a JSON patch is {MaxJsonPatchOperations}, got {list.Count}")
            : operations;
    }

    private static JsonNode StrategicMerge(JsonObject current, byte[] patch, ResourceDefinition definition)
    {
        var schema = PatchSchemas.ForKind(definition.ApiVersion, definition.Kind)
            ?? throw StatusException.UnsupportedMediaType("application/strategic-merge-patch+json", ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]);
        return StrategicMergePatch.Apply(current, RequestBody.ParseJson(patch), schema);
    }
}
