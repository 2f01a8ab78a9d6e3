using System.Text;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Protobuf;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Overload;

/// <summary>The server's protection against overload: the in-flight pools, the per-user watch limit and the request timeout.</summary>
public sealed class RequestLimits(OverloadOptions options)
{
    /// <summary>
    /// The 504 upstream's timeout filter writes (server/filters/timeout.go): apierrors.NewTimeoutError's Status encoded
    /// by a bare json.Encoder, so without kind and apiVersion, and sent without a Content-Type (Go sniffs text/plain).
    /// </summary>
    private static readonly byte[] _timeoutBody = Encoding.UTF8.GetBytes(
        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Timeout: request did not complete within requested timeout - context deadline exceeded\",\"reason\":\"Timeout\",\"details\":{},\"code\":504}\n");

    // maxinflight.go tooManyRequests: http.Error's plain text, with Retry-After: 1.
    private static readonly byte[] _tooManyBody = Encoding.UTF8.GetBytes("Too many requests, please try again later.\n");

    public OverloadOptions Options { get; } = options;

    public InflightLimiter Inflight { get; } = new(options.MaxRequestsInflight, options.MaxMutatingRequestsInflight);

    public WatchLimiter Watches { get; } = new(options.MaxWatchesPerUser);

    /// <summary>
    /// How long a request may run (request_deadline.go): --request-timeout, or a shorter positive ?timeout=; null for a
    /// long-running request. A ?timeout= that is not a Go duration is refused with upstream's 400.
    /// </summary>
    public TimeSpan? Deadline(HttpRequest request, string verb, string? subresource)
    {
        if (LongRunning.Is(verb, subresource) || Options.RequestTimeout <= TimeSpan.Zero)
        {
            return null;
        }

        var text = request.Query["timeout"].FirstOrDefault() ?? "";
        if (text.Length == 0)
        {
            return Options.RequestTimeout;
        }

        long nanoseconds;
        try
        {
            nanoseconds = GoDuration.Parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw StatusException.BadRequest($"invalid timeout specified in the request URL - time: {e.Message}");
        }

        var requested = TimeSpan.FromTicks(nanoseconds / 100);
        return requested > TimeSpan.Zero && requested < Options.RequestTimeout ? requested : Options.RequestTimeout;
    }

    public static async Task WriteTooManyRequestsAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "1";
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.ContentLength = _tooManyBody.Length;
        await context.Response.Body.WriteAsync(_tooManyBody, context.RequestAborted);
    }

    public static async Task WriteTimeoutAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = _timeoutBody.Length;
        await context.Response.Body.WriteAsync(_timeoutBody, context.RequestAborted);
    }

    /// <summary>Timonel's answer past --max-watches-per-user: 429 TooManyRequests, as a Status a client can read.</summary>
    public StatusException TooManyWatches(string user) =>
        new(429, "TooManyRequests", $"Too many requests: user \"{user}\" already has {Watches.Limit} open watches, the most --max-watches-per-user allows", retryAfterSeconds: 1);
}
