using System.IO.Compression;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// One stored OpenAPI document, served at /openapi/&lt;<paramref name="Path"/>&gt; ("v2", "v3", "v3/apis/apps/v1"): its
/// JSON is embedded gzip-compressed, and its content hash is what upstream puts into the /openapi/v3 index
/// (serverRelativeURL "...?hash=H") and the ETag "H" (k8s.io/kube-openapi/pkg/handler3), the upper-case hex SHA-512 of
/// the JSON.
/// </summary>
/// <param name="Length">The size of the JSON in bytes (uncompressed).</param>
public sealed record OpenApiDocument(string Path, string Hash, long Length)
{
    /// <summary>The quoted entity tag for an ETag header.</summary>
    public string ETag => $"\"{Hash}\"";

    /// <summary>The stored gzip bytes, to send as they are to a client that accepts gzip.</summary>
    public Stream OpenGzip() => GeneratedFiles.Open(GeneratedFiles.Document(Path));

    /// <summary>The JSON, decompressed.</summary>
    public Stream OpenJson() => new GZipStream(OpenGzip(), CompressionMode.Decompress);

    /// <summary>The JSON as one array (tests and callers that parse it whole).</summary>
    public byte[] ReadJson()
    {
        using var json = OpenJson();
        var bytes = new byte[Length];
        json.ReadExactly(bytes);
        return bytes;
    }
}
