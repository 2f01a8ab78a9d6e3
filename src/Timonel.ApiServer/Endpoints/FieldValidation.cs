using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Server-side field validation (fieldValidation=Strict|Warn|Ignore; kubectl sends Strict, the server default is
/// Warn): fields the kind's schema does not declare are refused with a 400 or reported in Warning headers, and
/// otherwise dropped, as decoding into upstream's typed structs drops them (custom resources are pruned by their
/// strategy).
/// </summary>
public sealed class FieldValidation
{
    private readonly OpenApiService _openApi;

    public FieldValidation(OpenApiService openApi) => _openApi = openApi;

    /// <summary>A created or replacing object, as the request sent it.</summary>
    public void Check(HttpContext context, ResourceDefinition definition, JsonObject body) => Enforce(context, definition, body, Source.Body);

    /// <summary>
    /// The result of a JSON, merge or strategic merge patch, which upstream decodes as it decodes a body
    /// (handlers/patch.go), but words its refusals differently: a value of the wrong type is a 422 on "patch", and
    /// unknown fields under Strict a 400 "strict decoding error: ..." without the kind's prefix.
    /// </summary>
    public void CheckPatched(HttpContext context, ResourceDefinition definition, JsonObject patched) => Enforce(context, definition, patched, Source.PatchResult);

    /// <summary>
    /// A server-side apply configuration: the directive and the types only. Undeclared fields are refused whatever the
    /// directive, by the store's apply (<see cref="FieldManagement.UndeclaredFields"/>), before anything is merged.
    /// </summary>
    public void CheckApplyConfiguration(HttpContext context, ResourceDefinition definition, JsonObject config) =>
        Enforce(context, definition, config, Source.ApplyConfiguration);

    private void Enforce(HttpContext context, ResourceDefinition definition, JsonObject body, Source source)
    {
        var directive = context.Request.Query["fieldValidation"].ToString();
        if (directive.Length > 0 && directive is not ("Strict" or "Warn" or "Ignore"))
        {
            // metav1 validation.ValidateFieldValidation, run by ValidateCreateOptions, ValidateUpdateOptions and
            // ValidatePatchOptions: a 422 on the request's options kind, listing the sorted allowed set with "".
            var optionsKind = context.Request.Method switch { "POST" => "CreateOptions", "PUT" => "UpdateOptions", _ => "PatchOptions" };
            throw StatusException.Invalid("meta.k8s.io", optionsKind, "", FieldError.NotSupported(FieldPath.Root("fieldValidation"), directive, ["", "Ignore", "Strict", "Warn"]));
        }

        // A body cannot nest deeper than the limit, but a patch can deepen what is stored (handlers/patch.go decodes
        // the result under the decoder's depth limit).
        if (source == Source.PatchResult && NestingLimit.Exceeded(body))
        {
            throw StatusException.Invalid("", "", "", FieldError.Invalid(FieldPath.Root("patch"), "", $"exceeded max depth of {NestingLimit.MaxDepth}"));
        }

        var customResource = definition.Strategy as IUnknownFieldSource;
        if (source == Source.PatchResult && customResource is null && ObjectChecks.PatchedKindError(body, definition) is { } kindError)
        {
            throw PatchResultInvalid(body, kindError);
        }

        var inspection = customResource is not null
            ? InspectCustomResource(customResource, body)
            : _openApi.Inspect(definition.ApiVersion, definition.Kind, body);

        // A value of the wrong type is refused whatever the directive, as upstream's decoder refuses it
        // (handlers/rest.go wraps it as "<Kind> in version \"v1\" cannot be handled as a <Kind>: ...").
        if (inspection.TypeError is not null && source == Source.PatchResult)
        {
            throw PatchResultInvalid(body, inspection.TypeError);
        }

        if (inspection.TypeError is not null)
        {
            throw StatusException.Undecodable(definition.Kind, definition.Version, inspection.TypeError);
        }

        // Repeated keys found while the body or patch was read come first, as upstream's decoder reports them
        // before it types the object.
        var unknown = inspection.Unknown;
        var decodeErrors = source == Source.ApplyConfiguration ? [] : StrictDecodingErrors.Of(context);
        if ((unknown.Count == 0 && decodeErrors.Count == 0) || source == Source.ApplyConfiguration)
        {
            return;
        }

        var errors = decodeErrors.Concat(unknown.Select(OpenApiService.UnknownFieldWarning)).ToList();
        if (directive == "Strict")
        {
            var message = StrictDecodingErrors.Message(errors);
            throw source == Source.PatchResult
                ? StatusException.BadRequest(message)
                : StatusException.Undecodable(definition.Kind, definition.Version, message);
        }

        inspection.DropUnknown();
        if (directive == "Ignore")
        {
            return;
        }

        // Once each, as upstream's recorder keeps them, though a patch retried after a conflict is checked again.
        foreach (var error in errors)
        {
            WarningHeaders.Add(context, error);
        }
    }

    /// <summary>
    /// A custom resource: the fields its structural schema prunes, and its metadata decoded as ObjectMeta, as
    /// apiextensions' schemaCoercingDecoder does before anything is stored.
    /// </summary>
    private static FieldInspection InspectCustomResource(IUnknownFieldSource schema, JsonObject body)
    {
        var metadata = body["metadata"] is JsonObject meta ? OpenApiService.InspectObjectMeta(meta) : FieldInspection.Clean;
        return metadata.After(schema.UnknownFields(body));
    }

    /// <summary>handlers/patch.go: a patch result that does not decode is a 422 on "patch" quoting the patched object.</summary>
    internal static StatusException PatchResultInvalid(JsonObject patched, string error) =>
        StatusException.Invalid("", "", "", FieldError.Invalid(FieldPath.Root("patch"), GoJson.Compact(patched), error));

    private enum Source
    {
        Body,
        PatchResult,
        ApplyConfiguration,
    }
}
