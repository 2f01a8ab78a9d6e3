using System.Text.Json.Nodes;

namespace Timonel.Api.Patching;

/// <summary>
/// JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>) as evanphx/json-patch's MergePatch, which the
/// API server uses: objects merge key by key, <c>null</c> deletes a key, anything else replaces.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="original"/> and returns the result. A non-object
    /// original is replaced by the patch; a null or scalar patch is "Invalid JSON Patch".
    /// </summary>
    public static JsonNode Apply(JsonNode? original, JsonNode? patch)
    {
        switch (patch)
        {
            case JsonObject patchObject:
                if (original is not JsonObject originalObject)
                {
                    return Prune(patchObject.DeepClone())!;
                }
                var result = originalObject.DeepClone().AsObject();
                MergeInto(result, patchObject);
                return result;
            case JsonArray patchArray:
                return Prune(patchArray.DeepClone())!;
            default:
                throw new PatchException("Invalid JSON Patch", isMalformedPatch: true);
        }
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, patchValue) in patch)
        {
            if (JsonNodes.IsNull(patchValue))
            {
                target.Remove(key);
                continue;
            }
            if (!target.TryGetPropertyValue(key, out var current) || JsonNodes.IsNull(current))
            {
                target[key] = Prune(patchValue!.DeepClone());
            }
            else if (current is JsonObject currentObject && patchValue is JsonObject patchObject)
            {
                MergeInto(currentObject, patchObject);
            }
            else
            {
                // evanphx prunes nulls from an object patch replacing a non-object, but keeps other values as sent.
                target[key] = patchValue is JsonObject ? Prune(patchValue.DeepClone()) : patchValue!.DeepClone();
            }
        }
    }

    // Drops null members of objects at any depth; array elements are kept (their inner objects are pruned).
    private static JsonNode? Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => JsonNodes.IsNull(p.Value)).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }
                foreach (var (_, value) in obj)
                {
                    Prune(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Prune(item);
                }
                break;
        }
        return node;
    }
}
