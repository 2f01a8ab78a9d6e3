using System.Globalization;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.OpenApi;

namespace Timonel.ApiServer.Endpoints;

/// <summary>/openapi/v2 (JSON or protobuf) and /openapi/v3[/GROUP-VERSION], with ETags so clients cache them.</summary>
public sealed class OpenApiEndpoints
{
    private readonly OpenApiService _service;

    public OpenApiEndpoints(OpenApiService service) => _service = service;

    public async Task<bool> TryServeAsync(HttpContext context, string path)
    {
        // /openapi/v2 comes as JSON or as gnostic's protobuf (what kubectl's client-side validation downloads), by Accept;
        // the v3 documents only as JSON.
        var format = OpenApiFormat.Json;
        var isV2 = path == "/openapi/v2";
        if (isV2)
        {
            format = OpenApiV2Accept.Negotiate(context.Request.Headers.Accept.ToString())
                ?? throw StatusException.NotAcceptable($"only {OpenApiV2Accept.Served} are served for /openapi/v2");
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
        // Both forms of v2 carry the JSON's ETag, as kube-openapi's do: the response varies by Accept.
        response.Headers.ETag = document.ETag;
        response.ContentType = OpenApiV2Accept.ContentType(format);
        response.Headers.Vary = isV2 ? "Accept, Accept-Encoding" : "Accept-Encoding";
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
            await using var gzip = document.OpenGzip(format);
            response.ContentLength = gzip.Length;
            await gzip.CopyToAsync(response.Body, context.RequestAborted);
        }
        else
        {
            response.ContentLength = document.LengthOf(format);
            await using var content = document.Open(format);
            await content.CopyToAsync(response.Body, context.RequestAborted);
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
}
