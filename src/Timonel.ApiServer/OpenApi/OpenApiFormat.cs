namespace Timonel.ApiServer.OpenApi;

/// <summary>The forms a stored OpenAPI document is served in.</summary>
public enum OpenApiFormat
{
    /// <summary>The document itself, application/json.</summary>
    Json,

    /// <summary>
    /// /openapi/v2 only: gnostic's openapi.v2.Document message, as kube-openapi serves it to client-go's discovery
    /// client (kubectl's client-side validation).
    /// </summary>
    Protobuf,
}
