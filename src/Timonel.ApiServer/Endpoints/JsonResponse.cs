using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Writes JSON answers (objects and Status errors) with the headers kube-apiserver sends.</summary>
public static class JsonResponse
{
    public static Task WriteAsync(HttpContext context, JsonNode body, int status) =>
        WriteAsync(context, GoJson.Serialize(body), status);

    /// <summary>Sends JSON that is already encoded.</summary>
    public static async Task WriteAsync(HttpContext context, byte[] json, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, context.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext context, StatusException error)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, error.ToStatus(), error.Code);
    }
}
