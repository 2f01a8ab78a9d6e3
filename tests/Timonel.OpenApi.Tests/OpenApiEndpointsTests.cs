using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Endpoints;

namespace Timonel.OpenApi.Tests;

/// <summary>
/// The stored documents on the wire: gzip as stored for clients that take it, decompressed for the others; /openapi/v2
/// as JSON or gnostic's protobuf by Accept.
/// </summary>
public sealed class OpenApiEndpointsTests
{
    // What client-go's discovery client asks for (discovery_client.go openAPIV2mimePb), and what upstream answers with.
    private const string ProtobufAccept = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    private const string ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

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

    [Theory]
    [InlineData("", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json, */*", "application/json")]
    [InlineData("application/*", "application/json")]
    // client-go's discovery client (kubectl's client-side validation); upstream answers with the newer media type.
    [InlineData(ProtobufAccept, ProtobufContentType)]
    [InlineData(ProtobufContentType, ProtobufContentType)]
    [InlineData("application/json;q=0.5, " + ProtobufAccept, ProtobufContentType)]
    [InlineData(ProtobufAccept + ";q=0, application/json", "application/json")]
    public async Task TryServe_V2Accept_ServesTheNegotiatedForm(string accept, string contentType)
    {
        var (context, _) = Request("/openapi/v2", "gzip", accept);

        Assert.True(await _endpoints.TryServeAsync(context, "/openapi/v2"));

        Assert.Equal(contentType, context.Response.ContentType);
        Assert.Equal("Accept, Accept-Encoding", context.Response.Headers.Vary.ToString());
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/yaml")]
    [InlineData(ProtobufAccept + ";q=0")]
    [InlineData("application/com.github.proto-openapi.spec.v3.v1.0+protobuf")]
    public async Task TryServe_V2NoServedForm_406(string accept)
    {
        var (context, _) = Request("/openapi/v2", "gzip", accept);

        var ex = await Assert.ThrowsAsync<StatusException>(() => _endpoints.TryServeAsync(context, "/openapi/v2"));

        Assert.Equal(406, ex.Code);
    }

    [Fact]
    public async Task TryServe_V2Protobuf_SamePathsAndDefinitionsAsJson()
    {
        var (context, body) = Request("/openapi/v2", "", ProtobufAccept);

        Assert.True(await _endpoints.TryServeAsync(context, "/openapi/v2"));

        var document = body.ToArray();
        var json = JsonNode.Parse(Served.Service.V2Json())!;
        Assert.Equal(document.Length, context.Response.ContentLength);
        // Document.swagger = 1; paths = 8 > Paths.path = 2; definitions = 9 > Definitions.additional_properties = 1.
        Assert.Equal("2.0", GnosticWire.Text(GnosticWire.One(document, 1)));
        Assert.Equal(json["paths"]!.AsObject().Select(p => p.Key), GnosticWire.Named(GnosticWire.One(document, 8), 2).Select(p => p.Name));
        Assert.Equal(json["definitions"]!.AsObject().Select(d => d.Key), GnosticWire.Named(GnosticWire.One(document, 9), 1).Select(d => d.Name));
    }

    [Fact]
    public async Task TryServe_V2ProtobufKind_GroupVersionKindExtensionAsYaml()
    {
        var (context, body) = Request("/openapi/v2", "", ProtobufAccept);

        Assert.True(await _endpoints.TryServeAsync(context, "/openapi/v2"));

        // kubectl finds a kind's schema by this extension (Schema.vendor_extension = 31, NamedAny > Any.yaml = 2).
        var review = GnosticWire.Named(GnosticWire.One(body.ToArray(), 9), 1).Single(d => d.Name == "io.k8s.api.authorization.v1.SubjectAccessReview");
        var extension = GnosticWire.Named(review.Value, 31).Single(e => e.Name == "x-kubernetes-group-version-kind");
        Assert.Equal("- group: authorization.k8s.io\n  kind: SubjectAccessReview\n  version: v1\n", GnosticWire.Text(GnosticWire.One(extension.Value, 2)));
    }

    [Fact]
    public async Task TryServe_V2ProtobufWithGzip_SendsStoredGzipUnderTheJsonETag()
    {
        var (context, body) = Request("/openapi/v2", "gzip", ProtobufAccept);

        Assert.True(await _endpoints.TryServeAsync(context, "/openapi/v2"));

        Assert.Equal("gzip", context.Response.Headers.ContentEncoding.ToString());
        Assert.Equal(Served.Service.V2Protobuf(), Gunzip(body.ToArray()));
        Assert.Equal(Served.Service.V2Document().ETag, context.Response.Headers.ETag.ToString());
    }

    [Fact]
    public async Task TryServe_V2ProtobufMatchingIfNoneMatch_Answers304()
    {
        var (context, body) = Request("/openapi/v2", "gzip", ProtobufAccept);
        context.Request.Headers.IfNoneMatch = Served.Service.V2Document().ETag;

        Assert.True(await _endpoints.TryServeAsync(context, "/openapi/v2"));

        Assert.Equal(304, context.Response.StatusCode);
        Assert.Equal(0, body.Length);
    }

    [Fact]
    public async Task TryServe_UnknownGroupVersion_IsNotServed()
    {
        var (context, _) = Request("/openapi/v3/apis/nope/v1", "gzip");

        Assert.False(await _endpoints.TryServeAsync(context, "/openapi/v3/apis/nope/v1"));
    }

    private static (DefaultHttpContext Context, MemoryStream Body) Request(string path, string acceptEncoding, string accept = "application/json")
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        if (accept.Length > 0)
        {
            context.Request.Headers.Accept = accept;
        }

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
