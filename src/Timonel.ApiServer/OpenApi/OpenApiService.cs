using System.Text.Json.Nodes;
using Timonel.Api.Validation;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// The server's OpenAPI documents for the built-in resources: /openapi/v2 (swagger 2.0, as JSON and as gnostic's
/// protobuf), the /openapi/v3 index
/// and one OpenAPI 3.0 document per group-version. They are generated at development time from the KubernetesClient
/// model classes by tools/Timonel.OpenApiGen and served from the embedded, gzip-compressed files (so the server never
/// reflects over the models nor holds the documents on its heap). Also answers which fields of an object its kind does
/// not declare, for fieldValidation=Strict/Warn, from the generated field catalog.
/// </summary>
public sealed class OpenApiService
{
    private const string V2Path = "v2";
    private const string V3IndexPath = "v3";
    private const string V3Prefix = "v3/";

    private readonly Dictionary<string, OpenApiDocument> _documents;

    public OpenApiService()
    {
        using var manifest = GeneratedFiles.Open(GeneratedFiles.Manifest);
        var documents = OpenApiManifest.Read(manifest);
        _documents = documents.ToDictionary(d => d.Path, StringComparer.Ordinal);
        GroupVersionPaths = [.. documents.Where(d => d.Path.StartsWith(V3Prefix, StringComparison.Ordinal)).Select(d => d.Path[V3Prefix.Length..])];
    }

    /// <summary>The /openapi/v3 paths served, "api/v1" and "apis/&lt;group&gt;/&lt;version&gt;", in serving order.</summary>
    public IReadOnlyList<string> GroupVersionPaths { get; }

    /// <summary>GET /openapi/v2 as JSON (swagger 2.0 with every served kind).</summary>
    public byte[] V2Json() => V2Document().ReadJson();

    /// <summary>GET /openapi/v2 in protobuf: gnostic's openapi.v2.Document of the same swagger document.</summary>
    public byte[] V2Protobuf() => V2Document().Read(OpenApiFormat.Protobuf);

    public OpenApiDocument V2Document() => _documents[V2Path];

    /// <summary>GET /openapi/v3: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}, ...}}.</summary>
    public byte[] V3Index() => V3IndexDocument().ReadJson();

    public OpenApiDocument V3IndexDocument() => _documents[V3IndexPath];

    /// <summary>GET /openapi/v3/&lt;path&gt; for "api/v1" or "apis/apps/v1"; null for a group-version not served.</summary>
    public byte[]? V3GroupVersion(string path) => V3GroupVersionDocument(path)?.ReadJson();

    public OpenApiDocument? V3GroupVersionDocument(string path) => _documents.GetValueOrDefault(V3Prefix + path.Trim('/'));

    /// <summary>
    /// The fields of <paramref name="obj"/> that the schema of its kind does not declare, as upstream's strict decoder
    /// names them ("spec.containers[0].imagee"), in document order. Empty for a kind without a built-in schema.
    /// </summary>
    public IReadOnlyList<string> UnknownFields(string apiVersion, string kind, JsonObject obj) => Inspect(apiVersion, kind, obj).Unknown;

    /// <summary>
    /// In one walk: the fields the schema does not declare, and the decoding error upstream gives for a value of the
    /// wrong JSON type ("json: cannot unmarshal string into Go struct field Deployment.spec of type
    /// v1.DeploymentSpec") or of no value the field's type decodes (a number out of range, bad base64, a time that
    /// does not parse) or null. Nothing for a kind without a built-in schema.
    /// </summary>
    public FieldInspection Inspect(string apiVersion, string kind, JsonObject obj) =>
        FieldCatalog.BuiltIn.Kind(apiVersion, kind) is { } shape ? UnknownFieldFinder.Inspect(shape, obj) : FieldInspection.Clean;

    /// <summary>
    /// A custom resource's metadata, which apiextensions decodes alone as metav1.ObjectMeta
    /// (apiextensions-apiserver/pkg/registry/customresource/objectmeta GetObjectMetaWithOptions): undeclared fields
    /// named from "metadata", type errors from ObjectMeta ("Go struct field ObjectMeta.labels").
    /// </summary>
    public static FieldInspection InspectObjectMeta(JsonObject metadata) =>
        UnknownFieldFinder.Inspect(FieldCatalog.BuiltIn.ObjectMeta, metadata, "metadata", "");

    /// <summary>
    /// Upstream's error message for fieldValidation=Strict: "Pod in version \"v1\" cannot be handled as a Pod: strict
    /// decoding error: unknown field \"spec.x\", unknown field \"spec.y\"" (k8s.io/apimachinery/pkg/runtime/error.go
    /// strictDecodingError, wrapped by the apiserver's handlers/rest.go "cannot be handled as a").
    /// </summary>
    public static string StrictDecodingMessage(string kind, string version, IEnumerable<string> unknownFields) =>
        $"{kind} in version \"{version}\" cannot be handled as a {kind}: {StrictDecodingErrors(unknownFields)}";

    /// <summary>runtime.NewStrictDecodingError's text alone: "strict decoding error: unknown field \"x\", ...".</summary>
    public static string StrictDecodingErrors(IEnumerable<string> unknownFields) =>
        "strict decoding error: " + string.Join(", ", unknownFields.Select(UnknownFieldWarning));

    /// <summary>
    /// The warning text for fieldValidation=Warn, one per unknown field: sigs.k8s.io/json's strictError, which quotes
    /// the path with strconv.Quote (<c>unknown field "\x01"</c>).
    /// </summary>
    public static string UnknownFieldWarning(string field) => "unknown field " + GoValue.Quote(field);
}
