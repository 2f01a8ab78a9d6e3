using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Endpoints;

namespace Timonel.OpenApi.Tests;

/// <summary>The stored documents on the wire: gzip as stored for clients that take it, plain JSON for the others.</summary>
public sealed class OpenApiEndpointsTests
{
    private static readonly OpenApiEndpoints _endpoints = new(Served.Service);

    [Theory]
    [InlineData("gzip")]
    [InlineData("gzip, deflate, br")]
    [InlineData("br;q=1.0, GZIP;q=0.5")]
    [InlineData("*")]
    public async Task TryServe_ClientAcceptsGzip_SendsStoredGzip(string acceptEncoding)
    {
        var (context, body) = Request("/openapi/v3/apis/apps/v1", acceptEncoding);

        Assert.True(await _endpoints.TryServeAsync(context, "/openapi/v3/apis/apps/v1"));

        Assert.Equal("gzip", context.Response.Headers.ContentEncoding.ToString());
        Assert.Equal(body.Length, context.Response.ContentLength);
        Assert.Equal(Served.Service.V3GroupVersion("apis/apps/v1"), Gunzip(body.ToArray()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("gzip;q=0")]
    [InlineData("gzip;q=0, *")]
    [InlineData("identity")]
    public async Task TryServe_ClientWithoutGzip_SendsJson(string acceptEncoding)
    {
        var (context, body) = Request("/openapi/v2", acceptEncoding);

        Assert.True(await _endpoints.TryServeAsync(context, "/openapi/v2"));

        Assert.Equal("", context.Response.Headers.ContentEncoding.ToString());
        Assert.Equal(Served.Service.V2Document().Length, context.Response.ContentLength);
        Assert.Equal(Served.Service.V2Json(), body.ToArray());
        Assert.Equal(Served.Service.V2Document().ETag, context.Response.Headers.ETag.ToString());
    }

    [Fact]
    public async Task TryServe_MatchingIfNoneMatch_Answers304WithoutBody()
    {
        var (context, body) = Request("/openapi/v3", "gzip");
        context.Request.Headers.IfNoneMatch = Served.Service.V3IndexDocument().ETag;

        Assert.True(await _endpoints.TryServeAsync(context, "/openapi/v3"));

        Assert.Equal(304, context.Response.StatusCode);
        Assert.Equal(0, body.Length);
    }

    [Fact]
    public async Task TryServe_UnknownGroupVersion_IsNotServed()
    {
        var (context, _) = Request("/openapi/v3/apis/nope/v1", "gzip");

        Assert.False(await _endpoints.TryServeAsync(context, "/openapi/v3/apis/nope/v1"));
    }

    private static (DefaultHttpContext Context, MemoryStream Body) Request(string path, string acceptEncoding)
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.Headers.Accept = "application/json";
        if (acceptEncoding.Length > 0)
        {
            context.Request.Headers.AcceptEncoding = acceptEncoding;
        }

        context.Response.Body = body;
        return (context, body);
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var json = new MemoryStream();
        using (var stream = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress))
        {
            stream.CopyTo(json);
        }

        return json.ToArray();
    }
}
