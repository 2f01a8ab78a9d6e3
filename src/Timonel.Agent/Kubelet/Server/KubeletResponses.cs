using Microsoft.AspNetCore.Http;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>The kubelet's error answers: plain text with the message, as upstream's restful WriteError writes them.</summary>
public static class KubeletResponses
{
    public static async Task TextAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        var body = System.Text.Encoding.UTF8.GetBytes(message);
        // A length, not chunks: the API server relays refused upgrades by their Content-Length.
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>500 with why the runtime's streaming server could not be reached.</summary>
    public static Task RuntimeUnreachableAsync(HttpContext context, Exception e) =>
        TextAsync(context, StatusCodes.Status500InternalServerError, $"error connecting to the container runtime's streaming server: {e.Message}");
}
