using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// A failed request, answered as a metav1.Status. The factories reproduce upstream's texts
/// (k8s.io/apimachinery/pkg/api/errors/errors.go) because clients and users match on them.
/// </summary>
public sealed class StatusException : Exception
{
    public StatusException(int code, string reason, string message, string? name = null, string? group = null, string? kind = null, IReadOnlyList<StatusCause>? causes = null, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Name = name;
        Group = group;
        Kind = kind;
        Causes = causes ?? [];
        RetryAfterSeconds = retryAfterSeconds;
    }

    public int Code { get; }

    public string Reason { get; }

    public string? Name { get; }

    public string? Group { get; }

    public string? Kind { get; }

    public IReadOnlyList<StatusCause> Causes { get; }

    public int? RetryAfterSeconds { get; }

    /// <summary>A continue token the Status carries in its list metadata (a paged list's 410 offers one to go on with).</summary>
    public string? Continue { get; init; }

    /// <summary>"deployments.apps" for a grouped resource, "pods" for core (schema.GroupResource.String()).</summary>
    public static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";

    public static StatusException NotFound(string group, string resource, string name) =>
        new(404, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found", name, group, resource);

    public static StatusException AlreadyExists(string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists", name, group, resource);

    public static StatusException Conflict(string group, string resource, string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {detail}", name, group, resource);

    /// <summary>The optimistic-concurrency failure text (registry/generic/registry/store.go, OptimisticLockErrorMsg).</summary>
    public static StatusException ModifiedConflict(string group, string resource, string name) =>
        Conflict(group, resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    /// <summary>422 Invalid: "Kind.group "name" is invalid: [errors]" as apierrors.NewInvalid formats it.</summary>
    public static StatusException Invalid(string group, string kind, string name, FieldErrorList errors)
    {
        var status = errors.ToInvalidStatus(group, kind, name);
        return new(422, "Invalid", status.Message, name, group, kind, status.Causes);
    }

    /// <summary>422 Invalid for a single field error.</summary>
    public static StatusException Invalid(string group, string kind, string name, FieldError error) =>
        Invalid(group, kind, name, new FieldErrorList([error]));

    public static StatusException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>A body that does not decode into its kind, as handlers/rest.go transformDecodeError words it.</summary>
    public static StatusException Undecodable(string kind, string version, string error) =>
        BadRequest($"{kind} in version \"{version}\" cannot be handled as a {kind}: {error}");

    public static StatusException Forbidden(string group, string resource, string name, string detail) =>
        new(403, "Forbidden", $"{Qualified(resource, group)} \"{name}\" is forbidden: {detail}", name, group, resource);

    /// <summary>
    /// 403 for a request the authorizers did not allow, worded as upstream's responsewriters.Forbidden: "User "x" cannot
    /// list resource "pods" in API group "" in the namespace "default"" (or "at the cluster scope", or "path "/x"" for a
    /// non-resource request), then ": reason" when the authorizers gave one, inside apierrors.NewForbidden's frame.
    /// </summary>
    public static StatusException Forbidden(RequestAttributes request, string user, string reason)
    {
        var resource = string.IsNullOrEmpty(request.Subresource) ? request.Resource : $"{request.Resource}/{request.Subresource}";
        var scope = request.Namespace is { Length: > 0 } ns ? $"in the namespace \"{ns}\"" : "at the cluster scope";
        var denied = request.IsResourceRequest
            ? $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.Group}\" {scope}"
            : $"User \"{user}\" cannot {request.Verb} path \"{request.Path}\"";
        // Upstream escapes what could read as HTML in its part of the text (responsewriters' sanitizer), not the reason.
        var detail = denied.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            + (reason.Length > 0 ? ": " + reason : "");
        if (!request.IsResourceRequest || request.Resource.Length == 0)
        {
            return new(403, "Forbidden", $"forbidden: {detail}");
        }

        return string.IsNullOrEmpty(request.Name)
            ? new(403, "Forbidden", $"{Qualified(request.Resource, request.Group)} is forbidden: {detail}", null, request.Group, request.Resource)
            : Forbidden(request.Group, request.Resource, request.Name, detail);
    }

    public static StatusException MethodNotSupported(string group, string resource, string action) =>
        new(405, "MethodNotAllowed", $"{action} is not supported on resources of kind \"{Qualified(resource, group)}\"", null, group, resource);

    /// <summary>
    /// go-restful's 405 for a path it routes, but not for this method, as kube-apiserver's serviceErrorHandler writes it
    /// (apiserver/pkg/server/handler.go): apierrors.NewGenericServerResponse(405, ...) with go-restful's own text as a cause.
    /// </summary>
    public static StatusException RouteMethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", causes: [new StatusCause("UnexpectedServerResponse", "405: Method Not Allowed", "")]);

    public static StatusException Gone(string message) => new(410, "Expired", message);

    public static StatusException TooOldResourceVersion(long requested, long oldest) =>
        Gone($"too old resource version: {requested} ({oldest})");

    public static StatusException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    /// <summary>413 with upstream's prefix: "Request entity too large: " + message (errors.NewRequestEntityTooLargeError).</summary>
    public static StatusException RequestEntityTooLarge(string message) => new(413, "RequestEntityTooLarge", $"Request entity too large: {message}");

    public static StatusException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static StatusException NotAcceptable(string message) => new(406, "NotAcceptable", message);

    public static StatusException Internal(string message) => new(500, "InternalError", $"Internal error occurred: {message}");

    /// <summary>
    /// 504 for a read at a resourceVersion the store has not reached, as storage.NewTooLargeResourceVersionError: the
    /// watch cache, having waited, suggests a retry after a second; the etcd3 store (a paged NotOlderThan list) none.
    /// </summary>
    public static StatusException TooLargeResourceVersion(long requested, long current, int? retryAfterSeconds = 1) =>
        new(504, "Timeout", $"Timeout: Too large resource version: {requested}, current: {current}", causes: [new StatusCause("ResourceVersionTooLarge", "Too large resource version", "")], retryAfterSeconds: retryAfterSeconds);

    /// <summary>The metav1.Status body.</summary>
    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = Continue is null ? new JsonObject() : new JsonObject { ["continue"] = Continue },
            ["status"] = "Failure",
            ["message"] = Message,
        };
        // metav1.Status omits an empty reason (a budget's refusal of several PDBs has none).
        if (Reason.Length > 0)
        {
            status["reason"] = Reason;
        }

        var details = new JsonObject();
        // metav1.StatusDetails omits an empty name and kind (a review's 422 names neither).
        if (!string.IsNullOrEmpty(Name))
        {
            details["name"] = Name;
        }

        if (!string.IsNullOrEmpty(Group))
        {
            details["group"] = Group;
        }

        if (!string.IsNullOrEmpty(Kind))
        {
            details["kind"] = Kind;
        }

        if (Causes.Count > 0)
        {
            details["causes"] = new JsonArray([.. Causes.Select(ToJson)]);
        }

        if (RetryAfterSeconds is { } retry)
        {
            details["retryAfterSeconds"] = retry;
        }

        if (details.Count > 0)
        {
            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }

    // metav1.StatusCause omits an empty field path.
    private static JsonNode ToJson(StatusCause cause)
    {
        var json = new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message };
        if (cause.Field.Length > 0)
        {
            json["field"] = cause.Field;
        }

        return json;
    }
}
