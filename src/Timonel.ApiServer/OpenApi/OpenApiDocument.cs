using System.IO.Compression;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// One stored OpenAPI document, served at /openapi/&lt;<paramref name="Path"/>&gt; ("v2", "v3", "v3/apis/apps/v1"): its
/// JSON is embedded gzip-compressed, and its content hash is what upstream puts into the /openapi/v3 index
/// (serverRelativeURL "...?hash=H") and the ETag "H" (k8s.io/kube-openapi/pkg/handler3), the upper-case hex SHA-512 of
/// the JSON. The protobuf form of v2 is stored beside it and shares its ETag, as kube-openapi's handler does (the
/// response varies by Accept).
/// </summary>
/// <param name="Length">The size of the JSON in bytes (uncompressed).</param>
/// <param name="ProtobufLength">
/// The size of the protobuf form in bytes (uncompressed), for the document that has one (v2); null for the others.
/// </param>
public sealed record OpenApiDocument(string Path, string Hash, long Length, long? ProtobufLength = null)
{
    /// <summary>The quoted entity tag for an ETag header.</summary>
    public string ETag => $"\"{Hash}\"";

    /// <summary>The uncompressed size of the document in <paramref name="format"/>.</summary>
    public long LengthOf(OpenApiFormat format) => format == OpenApiFormat.Json
        ? Length
        : ProtobufLength ?? throw new InvalidOperationException($"/openapi/{Path} has no protobuf form");

    /// <summary>The stored gzip bytes, to send as they are to a client that accepts gzip.</summary>
    public Stream OpenGzip(OpenApiFormat format = OpenApiFormat.Json) =>
        GeneratedFiles.Open(format == OpenApiFormat.Json ? GeneratedFiles.Document(Path) : GeneratedFiles.Protobuf(Path));

    /// <summary>The document in <paramref name="format"/>, decompressed.</summary>
    public Stream Open(OpenApiFormat format) => new GZipStream(OpenGzip(format), CompressionMode.Decompress);

    /// <summary>The JSON, decompressed.</summary>
    public Stream OpenJson() => Open(OpenApiFormat.Json);

    /// <summary>The JSON as one array (tests and callers that parse it whole).</summary>
    public byte[] ReadJson() => Read(OpenApiFormat.Json);

    /// <summary>The document in <paramref name="format"/> as one array.</summary>
    public byte[] Read(OpenApiFormat format)
    {
        using var stream = Open(format);
        var bytes = new byte[LengthOf(format)];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
