using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// The server's OpenAPI documents, generated from the KubernetesClient model classes for the served resources, built
/// lazily on first request and kept: /openapi/v2 (swagger 2.0, JSON), the /openapi/v3 index and one OpenAPI 3.0
/// document per group-version. Also answers which fields of an object its schema does not know, for
/// fieldValidation=Strict/Warn.
/// </summary>
public sealed class OpenApiService
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private readonly KubernetesModels _models = KubernetesModels.Shared;
    private readonly IReadOnlyList<ResourceDefinition> _resources;
    private readonly Lazy<OpenApiDocument> _v2;
    private readonly Lazy<OpenApiDocument> _v3Index;
    private readonly ConcurrentDictionary<string, Lazy<OpenApiDocument>> _v3 = new(StringComparer.Ordinal);
    private readonly UnknownFieldFinder _unknownFields;

    public OpenApiService(IReadOnlyList<ResourceDefinition> resources)
    {
        _resources = resources;
        _unknownFields = new UnknownFieldFinder(_models);
        _v2 = new Lazy<OpenApiDocument>(() => Serialize(new DocumentWriter(_models, v3: false).Write(_resources)));
        _v3Index = new Lazy<OpenApiDocument>(BuildV3Index);
        foreach (var path in GroupVersionPaths)
        {
            var gvResources = resources.Where(r => V3Path(r) == path).ToList();
            _v3[path] = new Lazy<OpenApiDocument>(() => Serialize(new DocumentWriter(_models, v3: true).Write(gvResources)));
        }
    }

    /// <summary>The /openapi/v3 paths served, "api/v1" and "apis/&lt;group&gt;/&lt;version&gt;", in serving order.</summary>
    public IReadOnlyList<string> GroupVersionPaths => [.. _resources.Select(V3Path).Distinct()];

    /// <summary>
    /// Builds every document now (off the request path, so the first kubectl apply does not wait ~2 s for them) and
    /// then lets go of the model documentation they were built from, which would otherwise stay resident.
    /// </summary>
    public void Prepare()
    {
        _ = V3Index();
        _ = V2Json();
        _models.ReleaseDocs();
    }

    /// <summary>GET /openapi/v2 as JSON (swagger 2.0 with every served kind).</summary>
    public byte[] V2Json() => _v2.Value.Json;

    public OpenApiDocument V2Document() => _v2.Value;

    /// <summary>GET /openapi/v3: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}, ...}}.</summary>
    public byte[] V3Index() => _v3Index.Value.Json;

    public OpenApiDocument V3IndexDocument() => _v3Index.Value;

    /// <summary>GET /openapi/v3/&lt;path&gt; for "api/v1" or "apis/apps/v1"; null for a group-version not served.</summary>
    public byte[]? V3GroupVersion(string path) => V3GroupVersionDocument(path)?.Json;

    public OpenApiDocument? V3GroupVersionDocument(string path) =>
        _v3.TryGetValue(path.Trim('/'), out var document) ? document.Value : null;

    /// <summary>
    /// The fields of <paramref name="obj"/> that the schema of its kind does not declare, as upstream's strict decoder
    /// names them ("spec.containers[0].imagee"), in document order. Empty for a kind without a built-in schema.
    /// </summary>
    public IReadOnlyList<string> UnknownFields(string apiVersion, string kind, JsonObject obj)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return _models.TypeFor(group, version, kind) is { } model ? _unknownFields.Find(model, obj) : [];
    }

    /// <summary>
    /// In one walk: the fields the schema does not declare, and the decoding error upstream gives for a value of the
    /// wrong JSON type ("json: cannot unmarshal string into Go struct field Deployment.spec of type
    /// v1.DeploymentSpec") or null. Nothing for a kind without a built-in schema.
    /// </summary>
    public (IReadOnlyList<string> Unknown, string? TypeError) Inspect(string apiVersion, string kind, JsonObject obj)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return _models.TypeFor(group, version, kind) is { } model ? _unknownFields.Inspect(model, obj) : ([], null);
    }

    /// <summary>
    /// Upstream's error message for fieldValidation=Strict: "Pod in version \"v1\" cannot be handled as a Pod: strict
    /// decoding error: unknown field \"spec.x\", unknown field \"spec.y\"" (k8s.io/apimachinery/pkg/runtime/error.go
    /// strictDecodingError, wrapped by the apiserver's handlers/rest.go "cannot be handled as a").
    /// </summary>
    public static string StrictDecodingMessage(string kind, string version, IEnumerable<string> unknownFields) =>
        $"{kind} in version \"{version}\" cannot be handled as a {kind}: strict decoding error: " +
        string.Join(", ", unknownFields.Select(f => $"unknown field \"{f}\""));

    /// <summary>The warning text for fieldValidation=Warn, one per unknown field.</summary>
    public static string UnknownFieldWarning(string field) => $"unknown field \"{field}\"";

    private OpenApiDocument BuildV3Index()
    {
        var paths = new JsonObject();
        foreach (var path in GroupVersionPaths)
        {
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={_v3[path].Value.Hash}" };
        }

        return Serialize(new JsonObject { ["paths"] = paths });
    }

    private static string V3Path(ResourceDefinition resource) =>
        resource.Group.Length == 0 ? $"api/{resource.Version}" : $"apis/{resource.Group}/{resource.Version}";

    private static OpenApiDocument Serialize(JsonObject document)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(document, Compact);
        // kube-openapi's handler3 names documents by the upper-case hex SHA-512 of their bytes.
        return new OpenApiDocument(json, Convert.ToHexString(SHA512.HashData(json)));
    }
}
