namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// A serialized OpenAPI document and its content hash: upstream puts the hash into the /openapi/v3 index
/// (serverRelativeURL "...?hash=H") and serves the document with ETag "H" (k8s.io/kube-openapi/pkg/handler3).
/// </summary>
public sealed record OpenApiDocument(byte[] Json, string Hash)
{
    /// <summary>The quoted entity tag for an ETag header.</summary>
    public string ETag => $"\"{Hash}\"";
}
