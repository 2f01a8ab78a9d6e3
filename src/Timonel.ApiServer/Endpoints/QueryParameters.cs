using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Internal;
using Timonel.Api.Validation;
using Timonel.ApiServer.FieldManagement;
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
            KeyFilter = SelectorFilter.BuildKeyFilter(query["fieldSelector"].ToString(), definition),
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

    // metav1 validation.FieldManagerMaxLength.
    private const int FieldManagerMaxLength = 128;

    /// <summary>
    /// Who a write's fields belong to: the fieldManager parameter, or else the user agent up to its first '/' with
    /// unprintable characters dropped, cut at 128 bytes (handlers/rest.go prefixFromUserAgent). A fieldManager that
    /// is too long or not printable is refused with 422 on <paramref name="optionsKind"/> (CreateOptions, ...) as
    /// ValidateFieldManager refuses it; <paramref name="required"/> (apply) refuses a missing one too.
    /// </summary>
    public static FieldOwner FieldOwner(HttpRequest request, ResourceDefinition definition, string optionsKind, string? subresource = null, bool required = false)
    {
        var manager = request.Query["fieldManager"].ToString();
        var path = FieldPath.Root("fieldManager");
        var errors = new List<FieldError>();
        if (required && manager.Length == 0)
        {
            errors.Add(FieldError.Required(path, "is required for apply patch"));
        }

        if (Encoding.UTF8.GetByteCount(manager) > FieldManagerMaxLength)
        {
            errors.Add(FieldError.TooLong(path, FieldManagerMaxLength));
        }

        var position = 0;
        foreach (var rune in manager.EnumerateRunes())
        {
            if (!GoUnicode.IsPrint(rune))
            {
                errors.Add(FieldError.Invalid(path, manager, $"invalid character {GoRune(rune)} (at position {position})"));
            }

            position += rune.Utf8SequenceLength;
        }

        if (errors.Count > 0)
        {
            throw StatusException.Invalid("meta.k8s.io", optionsKind, "", new FieldErrorList(errors));
        }

        return new FieldOwner(manager.Length > 0 ? manager : UserAgentPrefix(request.Headers.UserAgent.ToString()), definition.ApiVersion, subresource);
    }

    private static string UserAgentPrefix(string userAgent)
    {
        var prefix = new StringBuilder();
        var bytes = 0;
        foreach (var rune in userAgent.Split('/')[0].EnumerateRunes())
        {
            if (!GoUnicode.IsPrint(rune))
            {
                continue;
            }

            if (bytes + rune.Utf8SequenceLength > FieldManagerMaxLength)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            prefix.Append(rune.ToString());
        }

        return prefix.ToString();
    }

    // Go's %#U of an unprintable rune: U+0007.
    private static string GoRune(Rune rune) => $"U+{rune.Value:X4}";

    /// <summary>The force parameter of an apply; 422 on PatchOptions for a non-apply patch, as ValidatePatchOptions.</summary>
    public static bool Force(HttpRequest request, bool apply)
    {
        var text = request.Query["force"].ToString();
        if (text.Length == 0)
        {
            return false;
        }

        if (!apply)
        {
            throw StatusException.Invalid("meta.k8s.io", "PatchOptions", "", FieldError.Forbidden(FieldPath.Root("force"), "may not be specified for non-apply patch"));
        }

        return bool.TryParse(text, out var force)
            ? force
            : throw StatusException.BadRequest($"force: Invalid value: \"{text}\": must be true or false");
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
