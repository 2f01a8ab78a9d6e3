using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Objects;
using Timonel.Api.Protobuf;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Audit;

/// <summary>
/// One request's audit, as upstream's audit filters keep it (apiserver/pkg/endpoints/filters/audit.go): the policy is
/// evaluated once the user is known; the event is written at RequestReceived, at ResponseStarted for long-running
/// requests (a watch's headers), and at ResponseComplete, or Panic; a request no authenticator accepted gets a single
/// ResponseStarted event (WithFailedAuthenticationAudit). Every method is a no-op at level None.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The captures only wrap the request and response bodies, which the server owns and disposes.")]
public sealed class AuditRecorder
{
    /// <summary>Bodies larger than this are not copied into events (3 MiB, the API's own request body limit).</summary>
    private const int BodyLimit = 3 * 1024 * 1024;

    private const string DecisionAnnotation = "authorization.k8s.io/decision";
    private const string ReasonAnnotation = "authorization.k8s.io/reason";

    private readonly AuditPolicy? _policy;
    private readonly AuditLogBackend? _backend;
    private readonly TimeProvider? _time;
    private readonly HttpContext? _context;
    private readonly string _id = "";
    private readonly DateTimeOffset _received;
    private AuditEvent? _event;
    private AuditDecision _decision = AuditDecision.None;
    private ResponseCapture? _response;
    private Stream? _originalBody;
    private RequestCapture? _request;
    private Stream? _originalRequestBody;
    private bool _unauthenticated;
    private bool _panicked;

    private AuditRecorder()
    {
    }

    internal AuditRecorder(AuditPolicy policy, AuditLogBackend backend, TimeProvider time, HttpContext context, string id)
    {
        _policy = policy;
        _backend = backend;
        _time = time;
        _context = context;
        _id = id;
        _received = time.GetUtcNow();
    }

    public static AuditRecorder Disabled { get; } = new();

    /// <summary>The request's user and what it asks for are known: evaluate the policy and write RequestReceived.</summary>
    public void Received(UserInfo requester, RequestAttributes attributes, string apiVersion, bool longRunning)
    {
        if (!Start(requester, attributes, apiVersion))
        {
            return;
        }

        var context = _context!;
        if (_decision.Level >= AuditLevel.Request && attributes.Verb is "create" or "update" or "patch" or "delete" or "deletecollection")
        {
            // The body is copied as the handler reads it, so the event can carry it afterwards.
            _originalRequestBody = context.Request.Body;
            _request = new RequestCapture(_originalRequestBody, BodyLimit);
            context.Request.Body = _request;
        }

        if (longRunning)
        {
            context.Response.OnStarting(() =>
            {
                _event!.ResponseStatus = new AuditResponseStatus(context.Response.StatusCode);
                Emit(AuditStage.ResponseStarted);
                return Task.CompletedTask;
            });
        }
        else if (_decision.Level >= AuditLevel.RequestResponse)
        {
            _originalBody = context.Response.Body;
            _response = new ResponseCapture(_originalBody, BodyLimit);
            context.Response.Body = _response;
        }

        Emit(AuditStage.RequestReceived);
    }

    /// <summary>The user the request acts as, when it impersonates another.</summary>
    public void Impersonated(UserInfo requester, UserInfo user)
    {
        if (_event is not null && !ReferenceEquals(requester, user))
        {
            _event.ImpersonatedUser = user;
        }
    }

    /// <summary>No authenticator accepted the request: one event, at ResponseStarted, saying which credentials were tried.</summary>
    public void Unauthenticated(RequestAttributes attributes, string apiVersion)
    {
        if (Start(null, attributes, apiVersion))
        {
            _unauthenticated = true;
            _event!.ResponseStatus = new AuditResponseStatus(401) { Message = AuthenticationMethods(_context!) };
        }
    }

    /// <summary>The authorizers' decision, as the annotations upstream's WithAuthorization adds.</summary>
    public void Authorized(AuthorizationDecision decision)
    {
        if (_event is null)
        {
            return;
        }

        _event.Annotations[DecisionAnnotation] = decision.Outcome == AuthorizationOutcome.Allow ? "allow" : "forbid";
        _event.Annotations[ReasonAnnotation] = decision.Reason;
    }

    /// <summary>The request failed with a Status: the event keeps its status, reason, message and details.</summary>
    public void Failed(JsonObject status, int code)
    {
        if (_event is not null && !_unauthenticated)
        {
            _event.ResponseStatus = AuditResponseStatus.From(status, code);
        }
    }

    /// <summary>An unexpected exception: the event ends at stage Panic with a 500 (audit.go's deferred recover).</summary>
    public void Panic(Exception exception)
    {
        if (_event is null)
        {
            return;
        }

        _panicked = true;
        _event.ResponseStatus = new AuditResponseStatus(500) { Status = "Failure", Reason = "InternalError", Message = $"APIServer panic'd: {exception.Message}" };
    }

    /// <summary>The response is done: write the last event.</summary>
    public Task CompleteAsync()
    {
        if (_event is not { } ev)
        {
            return Task.CompletedTask;
        }

        var context = _context!;
        if (_response is not null)
        {
            context.Response.Body = _originalBody!;
        }

        if (_unauthenticated)
        {
            Emit(AuditStage.ResponseStarted);
            return Task.CompletedTask;
        }

        if (_panicked)
        {
            Emit(AuditStage.Panic);
            return Task.CompletedTask;
        }

        var code = context.Response.StatusCode;
        ev.ResponseStatus = ev.ResponseStatus is { } status ? status with { Code = code } : new AuditResponseStatus(code);
        if (_request is not null)
        {
            context.Request.Body = _originalRequestBody!;
            ev.RequestObject = BodyObject(_request.Captured, context.Request.ContentType);
            if (ev.RequestObject is JsonObject { } requested && ev.ObjectRef is { } reference && string.IsNullOrEmpty(reference.Name)
                && requested["metadata"]?["name"] is JsonValue name && name.TryGetValue<string>(out var named))
            {
                // audit/request.go LogRequestObject completes the reference from the object a create names.
                ev.ObjectRef = reference with { Name = named };
            }
        }

        if (_response?.Captured is { } body && BodyObject(body, context.Response.ContentType) is { } answer)
        {
            ev.ResponseObject = answer;
            if (answer is JsonObject obj && obj["kind"]?.GetValueKind() == JsonValueKind.String && (string?)obj["kind"] == "Status")
            {
                ev.ResponseStatus = AuditResponseStatus.From(obj, code);
            }
        }

        // What admission added (PodSecurity's audit-violations), as upstream's audit context carries into the event.
        foreach (var (key, value) in RequestRecorder.AuditAnnotations(context))
        {
            ev.Annotations.TryAdd(key, value);
        }

        Emit(AuditStage.ResponseComplete);
        return Task.CompletedTask;
    }

    private bool Start(UserInfo? user, RequestAttributes attributes, string apiVersion)
    {
        if (_policy is null)
        {
            return false;
        }

        _decision = _policy.Evaluate(user, attributes);
        if (_decision.Level == AuditLevel.None)
        {
            return false;
        }

        var context = _context!;
        var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        _event = new AuditEvent
        {
            Level = _decision.Level,
            AuditId = _id,
            RequestUri = string.IsNullOrEmpty(target) ? context.Request.Path + context.Request.QueryString : target,
            Verb = attributes.Verb,
            User = user,
            SourceIps = SourceIps(context),
            UserAgent = context.Request.Headers.UserAgent.ToString(),
            ObjectRef = attributes.IsResourceRequest
                ? new AuditObjectReference(attributes.Resource, attributes.Namespace, attributes.Name, attributes.Group, apiVersion, attributes.Subresource)
                : null,
            RequestReceivedTimestamp = _received,
        };
        return true;
    }

    private void Emit(AuditStage stage)
    {
        var ev = _event!;
        ev.Stage = stage;
        ev.StageTimestamp = _time!.GetUtcNow();
        if (!_decision.OmitStages.Contains(stage))
        {
            _backend!.Enqueue(ev.ToJsonLine());
        }
    }

    /// <summary>A request or response body as the JSON object an event carries, whatever its encoding; null if it is none.</summary>
    private JsonNode? BodyObject(byte[]? bytes, string? contentType)
    {
        if (bytes is not { Length: > 0 })
        {
            return null;
        }

        var type = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        try
        {
            if (type.Contains("yaml", StringComparison.Ordinal))
            {
                return OmitManagedFields(YamlConverter.ToJson(System.Text.Encoding.UTF8.GetString(bytes)));
            }

            // JSON, a JSON or merge patch (upstream logs a patch as it came), or protobuf decoded to its JSON form.
            return IsJson(type) || KubernetesProtobuf.IsProtobuf(type) ? OmitManagedFields(RequestBody.ParseBody(type, bytes)) : null;
        }
        catch (Exception e) when (e is YamlConversionException or StatusException or JsonException)
        {
            // A body the handler refused too; the event keeps the rest.
            return null;
        }
    }

    private static bool IsJson(string? contentType) => contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>omitManagedFields: an object's metadata.managedFields, and each listed item's, left out of the event.</summary>
    private JsonNode? OmitManagedFields(JsonNode? node)
    {
        if (!_decision.OmitManagedFields || node is not JsonObject obj)
        {
            return node;
        }

        (obj["metadata"] as JsonObject)?.Remove("managedFields");
        foreach (var item in (obj["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            (item["metadata"] as JsonObject)?.Remove("managedFields");
        }

        return obj;
    }

    /// <summary>
    /// utilnet.SourceIPs: the X-Forwarded-For chain, X-Real-Ip unless already in it, then the connection's address
    /// unless it is the chain's last.
    /// </summary>
    private static List<string> SourceIps(HttpContext context)
    {
        var ips = new List<IPAddress>();
        foreach (var part in context.Request.Headers["X-Forwarded-For"].ToString().Split(','))
        {
            if (IPAddress.TryParse(part.Trim(), out var forwarded))
            {
                ips.Add(forwarded);
            }
        }

        if (IPAddress.TryParse(context.Request.Headers["X-Real-Ip"].ToString(), out var real) && !ips.Contains(real))
        {
            ips.Add(real);
        }

        if (context.Connection.RemoteIpAddress is { } remote)
        {
            remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
            if (ips.Count == 0 || !ips[^1].Equals(remote))
            {
                ips.Add(remote);
            }
        }

        return ips.ConvertAll(ip => ip.ToString());
    }

    // filters/authn_audit.go getAuthMethods: the credentials the request carried.
    private static string AuthenticationMethods(HttpContext context)
    {
        var methods = new List<string>();
        var authorization = context.Request.Headers.Authorization.ToString().Trim();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            methods.Add("basic");
        }

        var parts = authorization.Split(' ');
        if (parts.Length > 1 && parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase))
        {
            methods.Add("bearer");
        }

        if (context.Request.Query["access_token"].ToString().Trim().Length > 0)
        {
            methods.Add("access_token");
        }

        if (context.Connection.ClientCertificate is not null)
        {
            methods.Add("x509");
        }

        return methods.Count > 0 ? $"Authentication failed, attempted: {string.Join(", ", methods)}" : "Authentication failed, no credentials provided";
    }
}
