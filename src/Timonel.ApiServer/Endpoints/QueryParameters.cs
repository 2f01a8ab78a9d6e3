using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Reads the query parameters of list, watch, write and delete requests (metav1.ListOptions and friends).</summary>
public static class QueryParameters
{
    public static ListQuery ListQuery(HttpRequest request, ResourceDefinition definition)
    {
        var query = request.Query;
        long limit = 0;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!long.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit < 0))
        {
            throw StatusException.BadRequest($"limit: Invalid value: \"{limitText}\": must be a non-negative integer");
        }

        var match = query["resourceVersionMatch"].ToString();
        if (match.Length > 0 && match is not ("NotOlderThan" or "Exact"))
        {
            throw StatusException.BadRequest($"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\"");
        }

        return new ListQuery
        {
            Filter = SelectorFilter.Build(query["labelSelector"].ToString(), query["fieldSelector"].ToString(), definition),
            Limit = limit,
            Continue = query["continue"].ToString() is { Length: > 0 } token ? token : null,
            ResourceVersion = query["resourceVersion"].ToString(),
            ResourceVersionMatch = match.Length > 0 ? match : null,
        };
    }

    /// <summary>dryRun=All runs every step but the write; any other value is refused as upstream does.</summary>
    public static bool DryRun(HttpRequest request)
    {
        var values = request.Query["dryRun"];
        foreach (var value in values)
        {
            if (value != "All")
            {
                throw StatusException.BadRequest($"dryRun: Unsupported value: \"{value}\": supported values: \"All\"");
            }
        }

        return values.Count > 0;
    }

    /// <summary>DeleteOptions from the body (kubectl sends one) merged with the query parameters.</summary>
    public static async Task<DeleteOptions> DeleteOptionsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonNode? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var bytes = await RequestBody.ReadBytesAsync(request, cancellationToken);
            body = bytes.Length > 0 ? RequestBody.ParseBody(RequestBody.MediaType(request), bytes) : null;
        }

        long? grace = body?.LongAt("gracePeriodSeconds");
        if (request.Query["gracePeriodSeconds"].ToString() is { Length: > 0 } graceText)
        {
            grace = long.TryParse(graceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw StatusException.BadRequest($"gracePeriodSeconds: Invalid value: \"{graceText}\": must be an integer");
        }

        var policy = request.Query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : body?.StringAt("propagationPolicy");
        if (policy is not null and not ("Orphan" or "Background" or "Foreground"))
        {
            throw StatusException.Invalid("", "DeleteOptions", "", FieldError.NotSupported(FieldPath.Root("propagationPolicy"), policy, ["Foreground", "Background", "Orphan"]));
        }

        bool? orphanDependents = body?.BoolAt("orphanDependents");
        if (request.Query["orphanDependents"].ToString() is { Length: > 0 } orphanText)
        {
            // Convert_Slice_string_To_Pointer_bool: "0" and "false" (any case) are false, anything else true.
            orphanDependents = !(orphanText == "0" || orphanText.Equals("false", StringComparison.OrdinalIgnoreCase));
        }

        if (orphanDependents is { } orphan)
        {
            // ValidateDeleteOptions (apimachinery pkg/apis/meta/v1/validation): one or the other, not both.
            if (policy is not null)
            {
                throw StatusException.Invalid("", "DeleteOptions", "", FieldError.Invalid(FieldPath.Root("propagationPolicy"), policy, "orphanDependents and deletionPropagation cannot be both set"));
            }

            // The generic store's shouldDeleteDependents: orphanDependents=false deletes dependents first (foreground).
            policy = orphan ? "Orphan" : "Foreground";
        }

        var dryRun = DryRun(request) || body?.ArrayAt("dryRun")?.Any(v => v?.GetValue<string>() == "All") == true;
        return new DeleteOptions(grace, policy, body?.StringAt("preconditions", "uid"), body?.StringAt("preconditions", "resourceVersion"), dryRun, orphanDependents);
    }
}
