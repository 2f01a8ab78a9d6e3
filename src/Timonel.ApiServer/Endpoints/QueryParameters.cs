using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Internal;
using Timonel.Api.Protobuf;
using Timonel.Api.Validation;
using Timonel.ApiServer.FieldManagement;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Reads the query parameters of list, watch, write and delete requests (metav1.ListOptions and friends).</summary>
public static class QueryParameters
{
    /// <summary>
    /// dryRun=All runs every step but the write; any other value is refused with 422 on <paramref name="optionsKind"/>
    /// (CreateOptions, UpdateOptions, PatchOptions), as ValidateDryRun refuses it.
    /// </summary>
    public static bool DryRun(HttpRequest request, string optionsKind)
    {
        var values = request.Query["dryRun"];
        if (values.Any(value => value != "All"))
        {
            var dryRun = GoValue.Strings(values.Select(value => value ?? ""));
            throw StatusException.Invalid("meta.k8s.io", optionsKind, "", FieldError.NotSupported(FieldPath.Root("dryRun"), dryRun, ["All"]));
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

    /// <summary>
    /// The DeleteOptions of a delete or deletecollection, decoded and validated before anything is read or removed
    /// (endpoints/handlers/delete.go): from the body when there is one, and then the query is not read at all; else
    /// from the query parameters. Undecodable options are 400, invalid ones 422 on DeleteOptions.meta.k8s.io.
    /// </summary>
    public static async Task<DeleteOptions> DeleteOptionsAsync(HttpRequest request, ResourceDefinition definition, CancellationToken cancellationToken)
    {
        var options = await DeleteOptionsBodyAsync(request, definition, cancellationToken) ?? DeleteOptionsQuery(request.Query);
        var errors = options.Validate();
        return errors.Count > 0
            ? throw StatusException.Invalid("meta.k8s.io", "DeleteOptions", "", errors)
            : options.ToStoreOptions();
    }

    private static async Task<RequestedDeleteOptions?> DeleteOptionsBodyAsync(HttpRequest request, ResourceDefinition definition, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not > 0 && request.Headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        var bytes = await RequestBody.ReadBytesAsync(request, cancellationToken);
        if (bytes.Length == 0)
        {
            return null;
        }

        var mediaType = RequestBody.MediaType(request);
        var body = mediaType switch
        {
            "application/yaml" => YamlBody.ToJson(bytes),
            "application/json" or KubernetesProtobuf.MediaType or "" => RequestBody.ParseBody(mediaType, bytes),
            _ => throw StatusException.UnsupportedMediaType(mediaType, ["application/json", "application/yaml", KubernetesProtobuf.MediaType]),
        };
        return DeleteOptionsBody.Decode(body, definition.ApiVersion);
    }

    // Convert_url_Values_To_v1_DeleteOptions: the first value of each parameter; preconditions have none.
    private static RequestedDeleteOptions DeleteOptionsQuery(IQueryCollection query) => new()
    {
        GracePeriodSeconds = query.TryGetValue("gracePeriodSeconds", out var grace) ? GoQueryValue.ParseInt64(grace[0] ?? "") : null,
        OrphanDependents = query.TryGetValue("orphanDependents", out var orphan) ? GoQueryValue.Bool(orphan[0] ?? "") : null,
        PropagationPolicy = query.TryGetValue("propagationPolicy", out var policy) ? policy[0] ?? "" : null,
        DryRun = query.TryGetValue("dryRun", out var dryRun) ? [.. dryRun.Select(value => value ?? "")] : null,
    };
}
