using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Writes JSON answers (objects, lists, tables, discovery and Status errors) with the headers kube-apiserver sends.
/// Each body ends with a newline, as upstream's JSON serializer writes through encoding/json's Encoder, which ends
/// every value with "\n" (apimachinery runtime/serializer/json/json.go); clients that compare bodies byte for byte
/// see the same bytes. Its YAML answers end with one too (yaml.Marshal); protobuf has no such framing.
/// </summary>
public static class JsonResponse
{
    private static readonly byte[] _newline = "\n"u8.ToArray();

    public static Task WriteAsync(HttpContext context, JsonNode body, int status) =>
        WriteAsync(context, GoJson.Serialize(body), status);

    /// <summary>Sends JSON that is already encoded, followed by the encoder's newline.</summary>
    public static Task WriteAsync(HttpContext context, byte[] json, int status) => SendAsync(context, json, status, _newline);

    /// <summary>
    /// Sends JSON as written by responsewriters.WriteRawJSON (json.Marshal, no trailing newline): what upstream's
    /// /version answers with, bypassing the serializer.
    /// </summary>
    public static Task WriteRawAsync(HttpContext context, JsonNode body, int status) => SendAsync(context, GoJson.Serialize(body), status, []);

    public static Task WriteStatusAsync(HttpContext context, StatusException error)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, error.ToStatus(), error.Code);
    }

    private static async Task SendAsync(HttpContext context, byte[] json, int status, byte[] end)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        response.ContentLength = json.Length + end.Length;
        await response.Body.WriteAsync(json, context.RequestAborted);
        if (end.Length > 0)
        {
            await response.Body.WriteAsync(end, context.RequestAborted);
        }
    }
}
