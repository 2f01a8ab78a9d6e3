using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Server-side field validation (fieldValidation=Strict|Warn|Ignore; kubectl sends Strict, the server default is
/// Warn): fields the kind's schema does not declare are refused with a 400 or reported in Warning headers.
/// </summary>
public sealed class FieldValidation
{
    private readonly OpenApiService _openApi;

    public FieldValidation(OpenApiService openApi) => _openApi = openApi;

    public void Check(HttpContext context, ResourceDefinition definition, JsonObject body)
    {
        var directive = context.Request.Query["fieldValidation"].ToString();
        if (directive.Length > 0 && directive is not ("Strict" or "Warn" or "Ignore"))
        {
            throw StatusException.BadRequest($"fieldValidation: Unsupported value: \"{directive}\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }

        var (unknown, typeError) = definition.Strategy is IUnknownFieldSource schema
            ? (schema.UnknownFields(body), null)
            : _openApi.Inspect(definition.ApiVersion, definition.Kind, body);

        // A value of the wrong type is refused whatever the directive, as upstream's decoder refuses it
        // (handlers/rest.go wraps it as "<Kind> in version \"v1\" cannot be handled as a <Kind>: ...").
        if (typeError is not null)
        {
            throw StatusException.BadRequest($"{definition.Kind} in version \"{definition.Version}\" cannot be handled as a {definition.Kind}: {typeError}");
        }

        if (directive == "Ignore" || unknown.Count == 0)
        {
            return;
        }

        if (directive == "Strict")
        {
            throw StatusException.BadRequest(OpenApiService.StrictDecodingMessage(definition.Kind, definition.Version, unknown));
        }

        foreach (var field in unknown)
        {
            // RFC 7234 warning headers, as upstream's warning.AddWarning writes them.
            context.Response.Headers.Append("Warning", $"299 - \"{OpenApiService.UnknownFieldWarning(field).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }
}
