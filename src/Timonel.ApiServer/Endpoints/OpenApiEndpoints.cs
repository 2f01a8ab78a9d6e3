using System.Globalization;
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
        response.Headers.Vary = "Accept-Encoding";
        if (context.Request.Headers.IfNoneMatch.ToString() == document.ETag)
        {
            response.StatusCode = 304;
            return true;
        }

        // Versioned v3 documents are immutable under their hash, as kube-openapi serves them.
        response.Headers.CacheControl = context.Request.Query.ContainsKey("hash") ? "public, immutable" : "no-cache, private";
        // The documents are stored gzip-compressed: sent as they are to clients that take gzip (kubectl's Go transport
        // asks for it), decompressed on the way out for the others.
        if (AcceptsGzip(context.Request))
        {
            response.Headers.ContentEncoding = "gzip";
            await using var gzip = document.OpenGzip();
            response.ContentLength = gzip.Length;
            await gzip.CopyToAsync(response.Body, context.RequestAborted);
        }
        else
        {
            response.ContentLength = document.Length;
            await using var json = document.OpenJson();
            await json.CopyToAsync(response.Body, context.RequestAborted);
        }

        return true;
    }

    /// <summary>
    /// Whether Accept-Encoding takes gzip: listed without q=0, or not listed and "*" is (RFC 9110 section 12.5.3).
    /// </summary>
    private static bool AcceptsGzip(HttpRequest request)
    {
        bool? gzip = null, any = null;
        foreach (var header in request.Headers.AcceptEncoding)
        {
            foreach (var entry in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = entry.Split(';', StringSplitOptions.TrimEntries);
                var accepted = !parts.Skip(1).Any(IsZeroQuality);
                if (parts[0].Equals("gzip", StringComparison.OrdinalIgnoreCase))
                {
                    gzip = accepted;
                }
                else if (parts[0] == "*")
                {
                    any = accepted;
                }
            }
        }

        return gzip ?? any ?? false;
    }

    private static bool IsZeroQuality(string parameter) =>
        parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase) && double.TryParse(parameter[2..], CultureInfo.InvariantCulture, out var q) && q == 0;

    private static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0 || accept.Contains("json", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal);
    }
}
