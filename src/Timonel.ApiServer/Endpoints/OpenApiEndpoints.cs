using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.OpenApi;

namespace Timonel.ApiServer.Endpoints;

/// <summary>/openapi/v2 and /openapi/v3[/GROUP-VERSION], with ETags so clients cache them.</summary>
public sealed class OpenApiEndpoints
{
    private readonly OpenApiService _service;

    public OpenApiEndpoints(OpenApiService service) => _service = service;

    public async Task<bool> TryServeAsync(HttpContext context, string path)
    {
        if (path == "/openapi/v2" && !AcceptsJson(context.Request))
        {
            // The protobuf form of v2 is not served; kubectl takes a 406 and carries on with v3.
            throw StatusException.NotAcceptable("only application/json is served for /openapi/v2");
        }

        OpenApiDocument? document = path switch
        {
            "/openapi/v2" => _service.V2Document(),
            "/openapi/v3" => _service.V3IndexDocument(),
            _ when path.StartsWith("/openapi/v3/", StringComparison.Ordinal) => _service.V3GroupVersionDocument(path["/openapi/v3/".Length..]),
            _ => null,
        };
        if (document is null)
        {
            return false;
        }

        var response = context.Response;
        response.Headers.ETag = document.ETag;
        response.ContentType = "application/json";
        if (context.Request.Headers.IfNoneMatch.ToString() == document.ETag)
        {
            response.StatusCode = 304;
            return true;
        }

        // Versioned v3 documents are immutable under their hash, as kube-openapi serves them.
        response.Headers.CacheControl = context.Request.Query.ContainsKey("hash") ? "public, immutable" : "no-cache, private";
        response.ContentLength = document.Json.Length;
        await response.Body.WriteAsync(document.Json, context.RequestAborted);
        return true;
    }

    private static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0 || accept.Contains("json", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal);
    }
}
