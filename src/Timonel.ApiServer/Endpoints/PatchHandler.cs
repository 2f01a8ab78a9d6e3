using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// PATCH: JSON patch, JSON merge patch and strategic merge patch, applied to the current object inside the
/// store's guaranteed-update loop, so concurrent writers never lose each other's changes.
/// </summary>
public sealed class PatchHandler
{
    private static readonly string[] _patchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

    public async Task<JsonObject> PatchAsync(HttpContext context, GenericStore store, string? ns, string name, IResourceStrategy strategy)
    {
        var (patchType, patch) = await ReadPatchAsync(context);
        var definition = store.Definition;
        return await store.GuaranteedUpdateAsync(ns, name, current => PatchApplier.Apply(patchType, current, patch, definition), strategy, QueryParameters.DryRun(context.Request), context.RequestAborted);
    }

    /// <summary>A patch to /scale: applied to the Scale view of the object, then written back through <paramref name="writeBack"/>.</summary>
    public async Task<JsonObject> PatchScaleAsync(HttpContext context, GenericStore store, string? ns, string name, Func<JsonObject, JsonObject> toScale, Func<JsonObject, JsonObject, JsonObject> writeBack)
    {
        var (patchType, patch) = await ReadPatchAsync(context);
        return await store.GuaranteedUpdateAsync(ns, name, current =>
        {
            var scale = PatchApplier.Apply(patchType, toScale(current), patch, ScaleDefinition);
            return writeBack(current, scale);
        }, store.Definition.Strategy, QueryParameters.DryRun(context.Request), context.RequestAborted);
    }

    private static ResourceDefinition ScaleDefinition { get; } = new()
    {
        Group = "autoscaling",
        Version = "v1",
        Kind = "Scale",
        Plural = "scales",
        Namespaced = true,
        Strategy = DefaultStrategies.DataOnly,
    };

    // What a server without server-side apply accepts (kube-apiserver with the ServerSideApply gate off).
    private static readonly string[] _withoutApply = [.. _patchTypes.Where(type => type != ApplyPatchType)];

    private const string ApplyPatchType = "application/apply-patch+yaml";

    private static async Task<(string Type, byte[] Patch)> ReadPatchAsync(HttpContext context)
    {
        var mediaType = RequestBody.MediaType(context.Request);
        if (!_patchTypes.Contains(mediaType))
        {
            throw StatusException.UnsupportedMediaType(mediaType, _patchTypes);
        }

        if (mediaType == ApplyPatchType)
        {
            // Server-side apply needs field ownership (managedFields), which this server does not track yet. Refused
            // before the object is looked up, so `kubectl apply --server-side` gets this answer, not a 404, for a
            // new object.
            throw StatusException.UnsupportedMediaType(mediaType, _withoutApply);
        }

        return (mediaType, await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted));
    }
}
