using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Checks a body is the kind the URL addresses, filling apiVersion/kind when the client left them out.</summary>
public static class ObjectChecks
{
    // The scheme the built-in kinds are registered in, as runtime.NewScheme names it from its call site
    // (k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go).
    private const string LegacyScheme = "pkg/api/legacyscheme/scheme.go:30";

    // handlers/rest.go summarizeData: how much of an unrecognized body its error quotes.
    private const int SummaryLength = 30;

    public static void CheckKind(JsonObject body, ResourceDefinition definition) => CheckTypeMeta(body, definition.ApiVersion, definition.Kind);

    /// <summary>
    /// Checks a body is a <paramref name="kind"/> of <paramref name="apiVersion"/> (or of one of the
    /// <paramref name="alsoAccepted"/> versions, as pods/eviction takes policy/v1beta1 too), filling in the type when
    /// the client left it out.
    /// </summary>
    public static void CheckTypeMeta(JsonObject body, string apiVersion, string kind, params string[] alsoAccepted)
    {
        if (TypeMetaError(body) is { } typeError)
        {
            var summary = GoJson.Compact(body);
            summary = summary.Length > SummaryLength ? summary[..SummaryLength] + " ..." : summary;
            // handlers/rest.go transformDecodeError, when the body's kind could not be read.
            throw StatusException.BadRequest($"the object provided is unrecognized ({summary}): {typeError}");
        }

        var bodyApiVersion = body.StringAt("apiVersion");
        var bodyKind = body.StringAt("kind");
        if (body["metadata"] is { } metadata and not JsonObject)
        {
            // encoding/json's UnmarshalTypeError for the embedded ObjectMeta.
            var word = GoJsonKind.Of(metadata);
            var version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
            throw StatusException.Undecodable(kind, version, $"json: cannot unmarshal {word} into Go struct field {kind}.metadata of type v1.ObjectMeta");
        }

        if (!string.IsNullOrEmpty(bodyKind) && bodyKind != kind)
        {
            throw StatusException.BadRequest($"the kind in the body ({bodyKind}) does not match the kind of the resource ({kind})");
        }

        if (!string.IsNullOrEmpty(bodyApiVersion) && bodyApiVersion != apiVersion && !alsoAccepted.Contains(bodyApiVersion, StringComparer.Ordinal))
        {
            throw StatusException.BadRequest($"the API version in the data ({bodyApiVersion}) does not match the expected API version ({apiVersion})");
        }

        body["apiVersion"] = string.IsNullOrEmpty(bodyApiVersion) ? apiVersion : bodyApiVersion;
        body["kind"] = kind;
    }

    /// <summary>
    /// Why a patched built-in object does not decode as the kind it was read as, or null: upstream decodes the patch
    /// result into the kind (handlers/patch.go runtime.DecodeInto), which reads apiVersion and kind first, fills them
    /// when empty, and fails when they name another kind.
    /// </summary>
    public static string? PatchedKindError(JsonObject patched, ResourceDefinition definition)
    {
        if (TypeMetaError(patched) is { } typeError)
        {
            return typeError;
        }

        var apiVersion = patched.StringAt("apiVersion") is { Length: > 0 } written ? written : definition.ApiVersion;
        var kind = patched.StringAt("kind") is { Length: > 0 } named ? named : definition.Kind;
        if (apiVersion == definition.ApiVersion && kind == definition.Kind)
        {
            return null;
        }

        if (FieldCatalog.BuiltIn.Kind(apiVersion, kind) is null)
        {
            // runtime's notRegisteredErr.
            return $"no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"{LegacyScheme}\"";
        }

        // runtime.DecodeInto, when the data decodes as another registered kind: the GroupVersionKind and the
        // internal type it was to decode into (the core group's GroupVersionKind is "/v1, Kind=Secret").
        var groupVersion = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion : "/" + apiVersion;
        var package = definition.Group.Length == 0 ? "core" : definition.Group.Split('.')[0];
        return $"unable to decode {groupVersion}, Kind={kind} into *{package}.{definition.Kind}";
    }

    /// <summary>
    /// apimachinery's json serializer reads apiVersion and kind into strings before anything else
    /// (serializer/json/meta.go SimpleMetaFactory.Interpret); the first of another JSON type fails it.
    /// </summary>
    public static string? TypeMetaError(JsonObject body)
    {
        if (IsStringOrNull(body["apiVersion"]) && IsStringOrNull(body["kind"]))
        {
            return null;
        }

        foreach (var (name, value) in body)
        {
            if (name is "apiVersion" or "kind" && !IsStringOrNull(value))
            {
                return $"couldn't get version/kind; json parse error: json: cannot unmarshal {GoJsonKind.Of(value!)} into Go struct field .{name} of type string";
            }
        }

        return null;
    }

    private static bool IsStringOrNull(JsonNode? value) => value is null || value.GetValueKind() == JsonValueKind.String;
}
