using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Decodes a DELETE's body as upstream's delete handler does: the kind and apiVersion first (the JSON serializer's
/// SimpleMetaFactory.Interpret), then the typed metav1.DeleteOptions, where a field of the wrong JSON type is refused
/// with encoding/json's words. Unknown fields are ignored (the decoder is not strict); so are fields spelled in
/// another case (it is case-sensitive). Upstream passes these decode errors on unwrapped, which makes them a 500;
/// here they are the client's fault they are: 400 BadRequest, with the same message.
/// </summary>
public static class DeleteOptionsBody
{
    // The anonymous struct Interpret unmarshals into, as Go's reflect prints its type.
    private const string InterpretType = "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }";

    // runtime.NewScheme names the meta internal-version scheme after where it is made
    // (apimachinery pkg/apis/meta/internalversion/scheme/register.go).
    private const string SchemeName = "k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/register.go:27";

    /// <summary>The options in <paramref name="body"/>; <paramref name="defaultApiVersion"/> stands in for a missing apiVersion.</summary>
    public static RequestedDeleteOptions Decode(JsonNode? body, string defaultApiVersion)
    {
        if (body is null)
        {
            // A JSON null decodes into empty options.
            return new RequestedDeleteOptions();
        }

        if (body is not JsonObject fields)
        {
            throw Refused($"couldn't get version/kind; json parse error: json: cannot unmarshal {GoJsonKind.Of(body)} into Go value of type {InterpretType}");
        }

        CheckTypeMeta(fields, defaultApiVersion);
        var options = new RequestedDeleteOptions();
        foreach (var (name, value) in fields)
        {
            if (value is null)
            {
                // null leaves a Go pointer nil and a slice empty.
                continue;
            }

            options = name switch
            {
                "gracePeriodSeconds" => options with { GracePeriodSeconds = Int64(value, "DeleteOptions.gracePeriodSeconds") },
                "orphanDependents" => options with { OrphanDependents = Bool(value, "DeleteOptions.orphanDependents") },
                "propagationPolicy" => options with { PropagationPolicy = String(value, "DeleteOptions.propagationPolicy", "v1.DeletionPropagation") },
                "dryRun" => options with { DryRun = Strings(value, "DeleteOptions.dryRun") },
                "preconditions" => WithPreconditions(options, value),
                "ignoreStoreReadErrorWithClusterBreakingPotential" => CheckedBool(options, value),
                _ => options,
            };
        }

        return options;
    }

    private static void CheckTypeMeta(JsonObject fields, string defaultApiVersion)
    {
        if (ObjectChecks.TypeMetaError(fields) is { } typeError)
        {
            throw Refused(typeError);
        }

        var apiVersion = fields["apiVersion"]?.GetValue<string>() ?? "";
        var kind = fields["kind"]?.GetValue<string>() ?? "";
        if (apiVersion.Count('/') > 1)
        {
            // schema.ParseGroupVersion.
            throw Refused("unexpected GroupVersion string: " + apiVersion);
        }

        // DeleteOptions is registered unversioned in the meta scheme: any apiVersion decodes it, no other kind does.
        if (kind.Length > 0 && kind != "DeleteOptions")
        {
            var version = apiVersion.Length > 0 ? apiVersion : defaultApiVersion;
            throw Refused($"no kind \"{kind}\" is registered for version \"{version}\" in scheme \"{SchemeName}\"");
        }
    }

    private static RequestedDeleteOptions WithPreconditions(RequestedDeleteOptions options, JsonNode value)
    {
        if (value is not JsonObject preconditions)
        {
            throw Mismatch(value, "DeleteOptions.preconditions", "v1.Preconditions");
        }

        foreach (var (name, field) in preconditions)
        {
            options = (name, field) switch
            {
                (_, null) => options,
                ("uid", _) => options with { PreconditionUid = String(field, "Preconditions.preconditions.uid", "types.UID") },
                ("resourceVersion", _) => options with { PreconditionResourceVersion = String(field, "Preconditions.preconditions.resourceVersion", "string") },
                _ => options,
            };
        }

        return options;
    }

    // The 1.32 field exists but its feature gate is off, so only its type is checked; the value is dropped.
    private static RequestedDeleteOptions CheckedBool(RequestedDeleteOptions options, JsonNode value)
    {
        Bool(value, "DeleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential");
        return options;
    }

    private static long Int64(JsonNode value, string field)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            throw Mismatch(value, field, "int64");
        }

        var literal = value.ToJsonString();
        return long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Refused($"json: cannot unmarshal number {literal} into Go struct field {field} of type int64");
    }

    private static bool Bool(JsonNode value, string field) => value.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Mismatch(value, field, "bool"),
    };

    private static string String(JsonNode value, string field, string goType) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Mismatch(value, field, goType);

    private static List<string> Strings(JsonNode value, string field)
    {
        if (value is not JsonArray items)
        {
            throw Mismatch(value, field, "[]string");
        }

        // A null element is left as the empty string, as Go leaves it.
        return [.. items.Select(item => item is null ? "" : String(item, field, "string"))];
    }

    private static StatusException Mismatch(JsonNode value, string field, string goType) =>
        Refused($"json: cannot unmarshal {GoJsonKind.Of(value)} into Go struct field {field} of type {goType}");

    private static StatusException Refused(string message) => StatusException.BadRequest(message);
}
