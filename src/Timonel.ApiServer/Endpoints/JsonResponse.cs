using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Writes JSON answers (objects and Status errors) with the headers kube-apiserver sends.</summary>
public static class JsonResponse
{
    public static async Task WriteAsync(HttpContext context, JsonNode body, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
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
