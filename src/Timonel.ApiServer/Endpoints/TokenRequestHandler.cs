using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Validation;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// POST serviceaccounts/NAME/token (what kubectl create token sends): an authentication.k8s.io/v1 TokenRequest
/// answered with a signed service-account JWT in status.token, after upstream's TokenREST.Create
/// (pkg/registry/core/serviceaccount/storage/token.go). spec.boundObjectRef binds the token to a Pod, Secret or Node
/// that must exist (with the UID given, if one is): the token names it and stops authenticating once it is gone.
/// </summary>
public sealed class TokenRequestHandler
{
    /// <summary>SetDefaults_TokenRequestSpec (pkg/apis/authentication/v1/defaults.go): one hour.</summary>
    public const long DefaultExpirationSeconds = 60 * 60;

    /// <summary>ValidateTokenRequest's bounds (pkg/apis/authentication/validation): ten minutes to 2^32 seconds.</summary>
    private const long MinExpirationSeconds = 10 * 60;
    private const long MaxExpirationSeconds = 1L << 32;

    private readonly ServiceAccountTokens _tokens;
    private readonly TimeProvider _time;

    public TokenRequestHandler(ServiceAccountTokens tokens, TimeProvider time)
    {
        _tokens = tokens;
        _time = time;
    }

    public async Task HandleAsync(HttpContext context, StoreRegistry registry, GenericStore serviceAccounts, string ns, string name)
    {
        var request = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        var metadata = request["metadata"] as JsonObject ?? [];
        // The body may name the service account and its namespace, but only as the URL does.
        if (metadata.StringAt("name") is { Length: > 0 } bodyName && bodyName != name)
        {
            throw Invalid(name, FieldError.Invalid(FieldPath.Root("metadata").Child("name"), bodyName, "must match the service account name if specified"));
        }

        if (metadata.StringAt("namespace") is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw Invalid(name, FieldError.Invalid(FieldPath.Root("metadata").Child("namespace"), bodyNamespace, "must match the service account namespace if specified"));
        }

        var account = await serviceAccounts.GetAsync(ns, name, context.RequestAborted);
        var spec = request["spec"] as JsonObject ?? [];
        RefuseWrongTypes(spec);
        var audiences = spec.ArrayAt("audiences") is { Count: > 0 } asked
            ? asked.Select(a => a?.GetValue<string>() ?? "").ToList()
            : [.. ServiceAccountTokens.ApiAudiences];
        var expirationSeconds = spec.LongAt("expirationSeconds") ?? DefaultExpirationSeconds;
        // Upstream validates after filling in the metadata, and names no object in the error.
        if (expirationSeconds < MinExpirationSeconds)
        {
            throw Invalid("", FieldError.Invalid(FieldPath.Root("spec").Child("expirationSeconds"), expirationSeconds, "may not specify a duration less than 10 minutes"));
        }

        if (expirationSeconds > MaxExpirationSeconds)
        {
            throw Invalid("", FieldError.Invalid(FieldPath.Root("spec").Child("expirationSeconds"), expirationSeconds, "may not specify a duration larger than 2^32 seconds"));
        }

        var boundObjectRef = spec["boundObjectRef"] as JsonObject;
        var bound = boundObjectRef is null ? BoundObjects.None : await BindAsync(registry, boundObjectRef, ns, name, context.RequestAborted);

        // Read the clock before signing, so the expiration answered is never later than the token's exp claim.
        var now = _time.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(expirationSeconds);
        var token = _tokens.Issue(ns, name, account.Uid() ?? "", lifetime, audiences, bound);
        var answer = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["creationTimestamp"] = ObjectMetadata.FormatTimestamp(now),
            },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]),
                ["expirationSeconds"] = expirationSeconds,
                ["boundObjectRef"] = boundObjectRef?.DeepClone(),
            },
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = ObjectMetadata.FormatTimestamp(now + lifetime),
            },
        };
        await JsonResponse.WriteAsync(context, answer, 201);
    }

    /// <summary>
    /// The object the token is bound to, read as token.go reads it: a pod must run as the service account (and its
    /// node, if it has one, is named too), and a UID in the reference must be the object's.
    /// </summary>
    private static async Task<BoundObjects> BindAsync(StoreRegistry registry, JsonObject reference, string ns, string serviceAccount, CancellationToken cancellationToken)
    {
        var kind = reference.StringAt("kind") ?? "";
        var apiVersion = reference.StringAt("apiVersion") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var version = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : apiVersion;
        var name = reference.StringAt("name") ?? "";
        BoundObjects bound;
        string uid;
        switch (group, kind)
        {
            case ("", "Pod"):
                var pod = await registry.Get("", "pods").GetAsync(ns, name, cancellationToken);
                if (pod.StringAt("spec", "serviceAccountName") != serviceAccount)
                {
                    throw StatusException.BadRequest($"cannot bind token for serviceaccount \"{serviceAccount}\" to pod running with different serviceaccount name.");
                }

                uid = pod.Uid() ?? "";
                // The node is named for information only; a node that cannot be read leaves it out, as upstream does.
                var nodeName = pod.StringAt("spec", "nodeName");
                var node = string.IsNullOrEmpty(nodeName) ? null : await registry.Get("", "nodes").FindRecentAsync(null, nodeName, cancellationToken);
                bound = new BoundObjects
                {
                    Pod = new TokenBinding(name, uid),
                    Node = node is null ? null : new TokenBinding(nodeName!, node.Uid() ?? ""),
                };
                break;
            case ("", "Node"):
                uid = (await registry.Get("", "nodes").GetAsync(null, name, cancellationToken)).Uid() ?? "";
                bound = new BoundObjects { Node = new TokenBinding(name, uid) };
                break;
            case ("", "Secret"):
                uid = (await registry.Get("", "secrets").GetAsync(ns, name, cancellationToken)).Uid() ?? "";
                bound = new BoundObjects { Secret = new TokenBinding(name, uid) };
                break;
            default:
                // schema.GroupVersionKind.String().
                throw StatusException.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={kind}");
        }

        if (reference.StringAt("uid") is { Length: > 0 } askedUid && askedUid != uid)
        {
            // Upstream names the kind where a resource would go (schema.GroupResource{Resource: gvk.Kind}).
            throw StatusException.Conflict(group, kind, name, $"the UID in the bound object reference ({askedUid}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        return bound;
    }

    // TokenRequest is not in the field catalog, so the two fields read here are checked as upstream's decoder would.
    private static void RefuseWrongTypes(JsonObject spec)
    {
        if (spec["audiences"] is { } audiences && (audiences is not JsonArray list || list.Any(a => a?.GetValueKind() != System.Text.Json.JsonValueKind.String)))
        {
            throw DecodingError("audiences", "[]string");
        }

        if (spec["expirationSeconds"] is { } expiration && (expiration is not JsonValue number || number.AsLong() is null))
        {
            throw DecodingError("expirationSeconds", "int64");
        }
    }

    private static StatusException DecodingError(string field, string goType) =>
        StatusException.BadRequest($"TokenRequest in version \"v1\" cannot be handled as a TokenRequest: json: cannot unmarshal value into Go struct field TokenRequestSpec.spec.{field} of type {goType}");

    private static StatusException Invalid(string name, FieldError error) => StatusException.Invalid("authentication.k8s.io", "TokenRequest", name, error);
}
