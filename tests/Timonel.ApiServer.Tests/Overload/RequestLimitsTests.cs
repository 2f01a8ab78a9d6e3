using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Overload;

namespace Timonel.ApiServer.Tests.Overload;

public sealed class RequestLimitsTests
{
    private static readonly RequestLimits _limits = new(new OverloadOptions { RequestTimeout = TimeSpan.FromSeconds(60) });

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    [Theory]
    [InlineData("", 60)]
    [InlineData("?timeout=5s", 5)]
    [InlineData("?timeout=1m30s", 60)]
    [InlineData("?timeout=0s", 60)]
    [InlineData("?timeout=-3s", 60)]
    public void Deadline_TimeoutQuery_OnlyAShorterPositiveOneIsTaken(string query, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), _limits.Deadline(Request(query), "list", null));
    }

    [Fact]
    public void Deadline_LongRunningRequest_HasNone()
    {
        Assert.Null(_limits.Deadline(Request("?timeout=5s"), "watch", null));
        Assert.Null(_limits.Deadline(Request("?timeout=5s"), "get", "log"));
    }

    [Fact]
    public void Deadline_TimeoutNotADuration_IsUpstreamsBadRequest()
    {
        var error = Assert.Throws<StatusException>(() => _limits.Deadline(Request("?timeout=soon"), "get", null));

        Assert.Equal(400, error.Code);
        Assert.Equal("invalid timeout specified in the request URL - time: invalid duration \"soon\"", error.Message);
    }

    [Fact]
    public async Task WriteTooManyRequests_Response_IsPlainTextWithRetryAfter()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await RequestLimits.WriteTooManyRequestsAsync(context);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("Too many requests, please try again later.\n", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }
}
