using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Timonel.ApiServer.Audit;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Overload;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Every request's path through the server: public health and version endpoints, then authentication,
/// impersonation, authorization, and discovery or resource handling; every failure answered as a Status.
/// </summary>
public sealed class RequestPipeline
{
    private readonly IReadOnlyList<IAuthenticator> _authenticators;
    private readonly IAuthorizer _authorizer;
    private readonly Impersonation _impersonation;
    private readonly StoreRegistry _registry;
    private readonly ResourceHandler _resources;
    private readonly OpenApiEndpoints _openApi;
    private readonly ILogger _logger;
    private volatile bool _ready;

    public RequestPipeline(IReadOnlyList<IAuthenticator> authenticators, IAuthorizer authorizer, StoreRegistry registry, ResourceHandler resources, OpenApiEndpoints openApi, ILogger<RequestPipeline> logger)
    {
        _openApi = openApi;
        _authenticators = authenticators;
        _authorizer = authorizer;
        _impersonation = new Impersonation(authorizer);
        _registry = registry;
        _resources = resources;
        _logger = logger;
    }

    public string ServerAddress { get; set; } = "";

    /// <summary>
    /// The cluster CA in PEM, served to anyone at /cacerts as K3s' supervisor serves it: an agent joining with a
    /// K10&lt;sha256&gt;::server:&lt;password&gt; token trusts it only when its SHA-256 matches the token's hash.
    /// </summary>
    public string CaCertificates { get; set; } = "";

    public void MarkReady() => _ready = true;

    /// <summary>The audit policy and log; off (IDs only) unless the server was given a policy and a log path.</summary>
    public Auditor Audit { get; set; } = Auditor.Off;

    /// <summary>In-flight pools, the request timeout and the per-user watch limit.</summary>
    public RequestLimits Limits { get; set; } = new(new OverloadOptions());

    public async Task HandleAsync(HttpContext context)
    {
        var audit = Audit.Begin(context);
        var clientAborted = context.RequestAborted;
        CancellationTokenSource? deadline = null;
        try
        {
            if (RequestPathOf(context) is not { } requestPath)
            {
                await WriteMalformedTargetAsync(context);
                return;
            }

            var path = requestPath.Value;
            // Only a GET is public (system:public-info-viewer grants "get" on these paths); any other method is
            // authenticated and authorized like every request, then answered below.
            if (HttpMethods.IsGet(context.Request.Method) && await TryPublicAsync(context, path))
            {
                return;
            }

            var info = RequestInfo.Parse(requestPath);
            var attributes = Attributes(context.Request, info, path);
            var apiVersion = info?.Version ?? "";
            // Upstream's filter order: the deadline (a bad ?timeout= is a 400 before anything else), authentication,
            // audit, impersonation, the in-flight limit, authorization.
            var timeout = Limits.Deadline(context.Request, attributes.Verb, attributes.Subresource);
            if (await AuthenticateAsync(context) is not { } requester)
            {
                audit.Unauthenticated(attributes, apiVersion);
                throw StatusException.Unauthorized();
            }

            var longRunning = LongRunning.Is(attributes.Verb, attributes.Subresource);
            audit.Received(requester, attributes, apiVersion, longRunning);
            var user = _impersonation.ActAs(requester, context.Request.Headers);
            audit.Impersonated(requester, user);
            using var slot = longRunning ? null : Limits.Inflight.TryEnter(attributes.Verb);
            if (slot is null && !longRunning && !user.Groups.Contains(UserInfo.MastersGroup))
            {
                await RequestLimits.WriteTooManyRequestsAsync(context);
                return;
            }

            Authorize(user, attributes, audit);
            using var watch = attributes.Verb == "watch" && !user.Groups.Contains(UserInfo.MastersGroup)
                ? Limits.Watches.TryOpen(user.Name) ?? throw Limits.TooManyWatches(user.Name)
                : null;
            if (timeout is { } limit)
            {
                deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
                deadline.CancelAfter(limit);
                context.RequestAborted = deadline.Token;
            }

            if (info is not null)
            {
                using var acting = RequestUser.Begin(user);
                using var recording = RequestRecorder.Begin(context);
                await _resources.HandleAsync(context, info, user);
            }
            else if (!await TryPublicAsync(context, path) && !await TryNonResourceAsync(context, requestPath.Segments) && !await _openApi.TryServeAsync(context, path))
            {
                throw new StatusException(404, "NotFound", "the server could not find the requested resource");
            }
        }
        catch (Exception) when (TimedOut(deadline, clientAborted))
        {
            // The handler gave up at the deadline (whatever it threw on the way): upstream's 504, or, once the response
            // has started, the connection cut as upstream's timeout writer does.
            context.RequestAborted = clientAborted;
            if (context.Response.HasStarted)
            {
                context.Abort();
            }
            else
            {
                await RequestLimits.WriteTimeoutAsync(context);
            }
        }
        catch (StatusException ex)
        {
            context.RequestAborted = clientAborted;
            audit.Failed(ex.ToStatus(), ex.Code);
            await WriteErrorAsync(context, ex);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            context.RequestAborted = clientAborted;
            await WriteErrorAsync(context, StatusException.BadRequest(ex.Message));
        }
        catch (Exception ex)
        {
            context.RequestAborted = clientAborted;
            audit.Panic(ex);
            _logger.LogError(ex, "{Method} {Path} failed", context.Request.Method, RequestPathOf(context)?.Value ?? context.Request.Path.Value);
            await WriteErrorAsync(context, StatusException.Internal(ex.Message));
        }
        finally
        {
            deadline?.Dispose();
            await audit.CompleteAsync();
        }
    }

    private static bool TimedOut(CancellationTokenSource? deadline, CancellationToken clientAborted) =>
        deadline is { IsCancellationRequested: true } && !clientAborted.IsCancellationRequested;

    /// <summary>
    /// The path as sent (the raw request target), not Kestrel's decoded and dot-resolved HttpRequest.Path; the latter
    /// only where a host gives no raw target.
    /// </summary>
    private static RequestPath? RequestPathOf(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return RequestPath.Parse(string.IsNullOrEmpty(target) ? context.Request.Path.Value ?? "/" : target);
    }

    /// <summary>
    /// A target Go's url.ParseRequestURI refuses (a bad %XX escape): net/http answers before any handler runs, with a
    /// bare "400 Bad Request" and the connection closed (net/http server.go, the readRequest error path).
    /// </summary>
    private static async Task WriteMalformedTargetAsync(HttpContext context)
    {
        context.Response.Headers.Connection = "close";
        await WriteTextAsync(context, 400, "400 Bad Request");
    }

    private static async Task WriteErrorAsync(HttpContext context, StatusException error)
    {
        if (!context.Response.HasStarted)
        {
            await JsonResponse.WriteStatusAsync(context, error);
        }
    }

    /// <summary>Health and version: served to anyone, as upstream's system:public-info-viewer allows (/healthz, /livez, /readyz, /version).</summary>
    private async Task<bool> TryPublicAsync(HttpContext context, string path)
    {
        switch (path)
        {
            case "/livez" or "/livez/ping" or "/readyz/ping" or "/healthz/ping":
                await WriteTextAsync(context, 200, path.EndsWith("/ping", StringComparison.Ordinal) ? "ok" : Health(context, "livez", true));
                return true;
            case "/readyz" or "/healthz":
                await WriteTextAsync(context, _ready ? 200 : 500, Health(context, path[1..], _ready));
                return true;
            case "/cacerts" when CaCertificates.Length > 0:
                await WriteTextAsync(context, 200, CaCertificates);
                return true;
            case "/version" or "/version/":
                // A go-restful route (apiserver/pkg/endpoints/routes/version.go: the web service /version with the
                // route "/", so /version/ too, which the C# client asks for) for GET alone; the health checks are
                // plain handlers on the path mux and answer any method, as do the OpenAPI documents.
                RequireGet(context);
                await JsonResponse.WriteRawAsync(context, ServerVersion.Document(), 200);
                return true;
            default:
                return false;
        }
    }

    private async Task<bool> TryNonResourceAsync(HttpContext context, IReadOnlyList<string> segments)
    {
        switch (segments.ToArray())
        {
            case ["api"]:
                RequireGet(context);
                await JsonResponse.WriteAsync(context, DiscoveryDocuments.CoreVersions(ServerAddress), 200);
                return true;
            case ["api", var version] when version == "v1":
                RequireGet(context);
                await JsonResponse.WriteAsync(context, DiscoveryDocuments.ResourceList("v1", _registry.Definitions.Where(d => d.Group.Length == 0)), 200);
                return true;
            case ["apis"]:
                await JsonResponse.WriteAsync(context, DiscoveryDocuments.GroupList(_registry), 200);
                return true;
            case ["apis", var group]:
                var versions = _registry.Groups().FirstOrDefault(g => g.Group == group).Versions;
                if (versions is null)
                {
                    return false;
                }

                await JsonResponse.WriteAsync(context, DiscoveryDocuments.Group(group, versions), 200);
                return true;
            case ["apis", var group, var version]:
                var definitions = _registry.Definitions.Where(d => d.Group == group && d.Version == version).ToList();
                if (definitions.Count == 0)
                {
                    return false;
                }

                RequireGet(context);
                await JsonResponse.WriteAsync(context, DiscoveryDocuments.ResourceList($"{group}/{version}", definitions), 200);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// /api, /api/v1 and /apis/GROUP/VERSION are go-restful routes for GET alone; /apis and /apis/GROUP are the
    /// aggregator's discovery handlers, which answer any method (kube-aggregator apis.go).
    /// </summary>
    private static void RequireGet(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            throw StatusException.RouteMethodNotAllowed();
        }
    }

    private async Task<UserInfo?> AuthenticateAsync(HttpContext context)
    {
        foreach (var authenticator in _authenticators)
        {
            if (await authenticator.AuthenticateAsync(context) is { } user)
            {
                return user;
            }
        }

        return null;
    }

    private static RequestAttributes Attributes(HttpRequest request, RequestInfo? info, string path)
    {
        var verb = Verb(request, info);
        return info is null
            ? RequestAttributes.NonResource(verb, path)
            : new RequestAttributes(verb, info.Group, info.Resource, info.Subresource, info.Namespace, info.Name ?? SelectedName(request, verb), path) { FieldSelector = request.Query["fieldSelector"].FirstOrDefault() };
    }

    private void Authorize(UserInfo user, RequestAttributes attributes, AuditRecorder audit)
    {
        var decision = _authorizer.Authorize(user, attributes);
        audit.Authorized(decision);
        if (decision.Outcome != AuthorizationOutcome.Allow)
        {
            throw StatusException.Forbidden(attributes, user.Name, decision.Reason);
        }
    }

    // Upstream's RequestInfoFactory: a list or watch selecting one object by metadata.name=NAME is authorized as a
    // request about NAME (requestinfo.go), so a node may watch its own Node.
    private static string? SelectedName(HttpRequest request, string verb)
    {
        if (verb is not ("list" or "watch") || request.Query["fieldSelector"].FirstOrDefault() is not { Length: > 0 } selector)
        {
            return null;
        }

        try
        {
            return Timonel.Api.Selectors.FieldSelector.Parse(selector).Requirements.FirstOrDefault(r => r.Field == "metadata.name" && r.Equal)?.Value;
        }
        catch (Timonel.Api.Selectors.SelectorParseException)
        {
            return null;
        }
    }

    // Upstream's RequestInfoFactory (request/requestinfo.go): a non-resource request's verb is its method in lower case.
    private static string Verb(HttpRequest request, RequestInfo? info) => (request.Method, info) switch
    {
        (_, null) => request.Method.ToLowerInvariant(),
        ("GET", _) when info.LegacyWatchPath || ListOptionsReader.IsWatch(request.Query) => "watch",
        ("GET", { Name: null }) => "list",
        _ => ResourceHandler.VerbName(request.Method, info.Name),
    };

    // Upstream's healthz handler (k8s.io/apiserver/pkg/server/healthz): "ok"; with ?verbose one line per check and
    // "<endpoint> check passed"; on a failure always the lines, the failing check's reason withheld (the endpoint is
    // public), and "<endpoint> check failed".
    private static string Health(HttpContext context, string endpoint, bool ok)
    {
        if (ok && !context.Request.Query.ContainsKey("verbose"))
        {
            return "ok";
        }

        var storage = ok ? "[+]storage-ready ok" : "[-]storage-ready failed: reason withheld";
        return $"[+]ping ok\n{storage}\n{endpoint} check {(ok ? "passed" : "failed")}\n";
    }

    private static async Task WriteTextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        await context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted);
    }
}
