using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.FieldManagement;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// PATCH: JSON patch, JSON merge patch and strategic merge patch, applied to the current object inside the
/// store's guaranteed-update loop, so concurrent writers never lose each other's changes; and server-side apply.
/// </summary>
public sealed class PatchHandler
{
    private const string ApplyPatchType = "application/apply-patch+yaml";

    private static readonly string[] _patchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", ApplyPatchType];

    // What /scale accepts: apply to the Scale view is not served.
    private static readonly string[] _withoutApply = [.. _patchTypes.Where(type => type != ApplyPatchType)];

    private readonly FieldValidation _fieldValidation;

    public PatchHandler(FieldValidation fieldValidation) => _fieldValidation = fieldValidation;

    /// <summary>A patch to the object, or to its /status when <paramref name="subresource"/> is "status".</summary>
    public async Task<JsonObject> PatchAsync(HttpContext context, GenericStore store, string? ns, string name, IResourceStrategy strategy, string? subresource = null)
    {
        var request = context.Request;
        var mediaType = MediaType(request, _patchTypes);
        var apply = mediaType == ApplyPatchType;
        var force = QueryParameters.Force(request, apply);
        var owner = QueryParameters.FieldOwner(request, store.Definition, "PatchOptions", subresource, required: apply);
        var dryRun = QueryParameters.DryRun(request, "PatchOptions");
        var patch = await RequestBody.ReadBytesAsync(request, context.RequestAborted);
        if (apply)
        {
            var config = ApplyConfiguration(patch, store.Definition, name, out var strictError);
            _fieldValidation.CheckApplyConfiguration(context, store.Definition, config);
            CheckStrictDecoding(context, strictError);
            return await store.ApplyAsync(ns, name, config, owner, force, strategy, dryRun, context.RequestAborted);
        }

        RecordRepeatedKeys(context, mediaType, patch);
        var definition = store.Definition;
        return await store.GuaranteedUpdateAsync(ns, name, current =>
        {
            var patched = PatchApplier.Apply(mediaType, current, patch, definition);
            PatchedIdentity.Check(current, patched, definition);
            _fieldValidation.CheckPatched(context, definition, patched);
            return patched;
        }, strategy, dryRun, context.RequestAborted, owner);
    }

    /// <summary>A patch to /scale: applied to the Scale view of the object, then written back through <paramref name="writeBack"/>.</summary>
    public async Task<JsonObject> PatchScaleAsync(HttpContext context, GenericStore store, string? ns, string name, Func<JsonObject, JsonObject> toScale, Func<JsonObject, JsonObject, JsonObject> writeBack)
    {
        var request = context.Request;
        var mediaType = MediaType(request, _withoutApply);
        QueryParameters.Force(request, apply: false);
        var owner = QueryParameters.FieldOwner(request, store.Definition, "PatchOptions", "scale");
        var patch = await RequestBody.ReadBytesAsync(request, context.RequestAborted);
        return await store.GuaranteedUpdateAsync(ns, name, current =>
        {
            var scale = PatchApplier.Apply(mediaType, toScale(current), patch, ScaleDefinition);
            if (ScaleDecoding.Error(scale) is { } error)
            {
                throw FieldValidation.PatchResultInvalid(scale, error);
            }

            return writeBack(current, scale);
        }, store.Definition.Strategy, QueryParameters.DryRun(request, "PatchOptions"), context.RequestAborted, owner);
    }

    /// <summary>
    /// handlers/patch.go decodes the patch itself strictly, unless fieldValidation=Ignore, and reports the keys it
    /// repeats with the result's unknown fields (a JSON patch's prefixed "json patch ").
    /// </summary>
    private static void RecordRepeatedKeys(HttpContext context, string mediaType, byte[] patch)
    {
        if (context.Request.Query["fieldValidation"] == "Ignore")
        {
            return;
        }

        IReadOnlyList<string> duplicates;
        try
        {
            RequestBody.ParseJson(patch, out duplicates);
        }
        catch (StatusException)
        {
            // Applying the patch reports it, after what upstream checks first (a strategic merge on a custom resource).
            return;
        }

        var prefix = mediaType == "application/json-patch+json" ? "json patch " : "";
        StrictDecodingErrors.Record(context, duplicates.Select(path => prefix + StrictDecodingErrors.DuplicateField(path)));
    }

    /// <summary>
    /// applyPatcher decodes the configuration strictly as well (unless fieldValidation=Ignore): what that refuses, keys
    /// a mapping repeats, fails the apply under Strict and is a warning otherwise (handlers/patch.go).
    /// </summary>
    private static void CheckStrictDecoding(HttpContext context, string? strictError)
    {
        var directive = context.Request.Query["fieldValidation"].ToString();
        if (strictError is null || directive == "Ignore")
        {
            return;
        }

        if (directive == "Strict")
        {
            throw StatusException.BadRequest("error strict decoding YAML: " + strictError);
        }

        WarningHeaders.Add(context, strictError);
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

    private static string MediaType(HttpRequest request, string[] accepted)
    {
        var mediaType = RequestBody.MediaType(request);
        return accepted.Contains(mediaType) ? mediaType : throw StatusException.UnsupportedMediaType(mediaType, accepted);
    }

    /// <summary>
    /// The applied configuration: YAML or JSON (YAML's subset) of the kind and version the URL addresses, as upstream's
    /// applyPatcher decodes it; the name comes from the URL when the configuration leaves it out.
    /// </summary>
    private static JsonObject ApplyConfiguration(byte[] patch, ResourceDefinition definition, string name, out string? strictError)
    {
        if (YamlBody.ToJson(patch, out strictError) is not JsonObject config)
        {
            throw StatusException.BadRequest("error decoding YAML: the apply configuration must be an object");
        }

        // fieldmanager's Apply: "Incorrect version specified in apply patch. Specified patch version: %s, expected: %s".
        var apiVersion = config.StringAt("apiVersion") ?? "";
        if (apiVersion != definition.ApiVersion)
        {
            throw StatusException.BadRequest($"Incorrect version specified in apply patch. Specified patch version: {apiVersion}, expected: {definition.ApiVersion}");
        }

        ObjectChecks.CheckKind(config, definition);
        // fieldmanager's Apply: ownership is the server's to record, never part of a configuration.
        if (config.ObjectAt("metadata")?["managedFields"] is not null)
        {
            throw StatusException.BadRequest("metadata.managedFields must be nil");
        }

        if (config.StringAt("metadata", "name") is null)
        {
            config.Metadata()["name"] = name;
        }

        return config;
    }
}
