namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// The files tools/Timonel.OpenApiGen writes into OpenApi/Generated/ (regenerate with tools/openapi-gen.sh) and the
/// build embeds under "openapi/&lt;file&gt;". Embedded resources are read from the mapped assembly image, so an unread
/// document costs no memory.
/// </summary>
internal static class GeneratedFiles
{
    /// <summary>The served documents with their hashes and sizes (<see cref="OpenApiManifest"/>).</summary>
    public const string Manifest = "manifest.json";

    /// <summary>The built-in kinds' fields (<see cref="FieldCatalog"/>).</summary>
    public const string Fields = "fields.json";

    private const string ResourcePrefix = "openapi/";

    /// <summary>The gzip file of a document served at /openapi/&lt;path&gt; ("v2", "v3", "v3/apis/apps/v1").</summary>
    public static string Document(string path) => path + ".json.gz";

    /// <summary>The gzip file of the protobuf form of a document ("v2"), gnostic's openapi.v2.Document.</summary>
    public static string Protobuf(string path) => path + ".pb.gz";

    public static Stream Open(string file) =>
        typeof(GeneratedFiles).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"embedded resource {ResourcePrefix}{file} is missing");
}
