using System.Text;

namespace Timonel.IntegrationTests;

/// <summary>
/// Malformed HTTP/1.1 framing written byte for byte: Go's net/http refuses each with a 400, and the server must too,
/// never with a 500 or a dropped connection.
/// </summary>
public sealed class HttpFramingTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public HttpFramingTests(SqliteClusterFixture fixture) => _fixture = fixture;

    public static TheoryData<string, string, string> ChunkedBodies => new()
    {
        // 17 hex digits: more than 64 bits (Go's chunked reader: "http chunk length too large").
        { "POST", "/api/v1/namespaces/default/configmaps", "application/json" },
        { "PUT", "/api/v1/namespaces/default/configmaps/framing", "application/json" },
        { "PATCH", "/api/v1/namespaces/default/configmaps/framing", "application/merge-patch+json" },
        { "PATCH", "/api/v1/namespaces/default/configmaps/framing?fieldManager=test", "application/apply-patch+yaml" },
        { "DELETE", "/api/v1/namespaces/default/configmaps/framing", "application/json" },
        { "POST", "/api/v1/namespaces/default/serviceaccounts/default/token", "application/json" },
    };

    [SkippableTheory]
    [MemberData(nameof(ChunkedBodies))]
    public async Task Send_ChunkSizeOf17HexDigits_BadRequest(string method, string path, string contentType)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var head = $"{method} {path} HTTP/1.1\r\nHost: {_fixture.Cluster.Host.Url.Authority}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n";

        var response = await RawHttps.SendAsync(_fixture.Cluster, head, Encoding.ASCII.GetBytes("10000000000000000\r\n{}\r\n0\r\n\r\n"));

        Assert.True(response.Code == 400, $"HTTP {response.Code}: {response.Body}");
        Assert.Equal("BadRequest", response.Json?["reason"]?.GetValue<string>());
    }

    // Go's http.ParseHTTPVersion refuses a malformed version (400); a well-formed one of another major version is 505
    // (server.go http1ServerSupportsRequest).
    [SkippableTheory]
    [InlineData("GET /version HTTP/1.1x", 400)]
    [InlineData("GET /version HTTP/2.0", 505)]
    [InlineData("GET /version http/1.1", 400)]
    [InlineData("get /version http/1.1", 400)]
    [InlineData("GET /version HTTP/x.y", 400)]
    public async Task Send_UnservedRequestLine_AnswersAsGo(string requestLine, int code)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var response = await RawHttps.SendAsync(_fixture.Cluster, $"{requestLine}\r\nHost: {_fixture.Cluster.Host.Url.Authority}\r\n");

        Assert.True(response.Code == code, $"HTTP {response.Code}: {response.Body}");
    }

    // kube-apiserver's MaxHeaderBytes is 1 MiB, and Go reads 4096 bytes past it (server.go initialReadLimitSize)
    // before answering 431 Request Header Fields Too Large.
    [SkippableTheory]
    [InlineData(64 * 1024, 200)]
    [InlineData(1 << 20, 200)]
    [InlineData((1 << 20) + 8192, 431)]
    public async Task Send_LargeHeader_ServedUpToGosLimit(int size, int code)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var response = await RawHttps.SendAsync(_fixture.Cluster, $"GET /version HTTP/1.1\r\nHost: {_fixture.Cluster.Host.Url.Authority}\r\nX-Filler: {new string('x', size)}\r\n");

        Assert.Equal(code, response.Code);
    }

    [SkippableFact]
    public async Task Send_LongRequestLine_Served()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var selector = "a in (" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"v{i}")) + ")";

        var response = await RawHttps.SendAsync(_fixture.Cluster, $"GET /api/v1/namespaces/default/configmaps?labelSelector={Uri.EscapeDataString(selector)} HTTP/1.1\r\nHost: {_fixture.Cluster.Host.Url.Authority}\r\n");

        Assert.True(response.Code == 200, $"HTTP {response.Code}: {response.Body}");
    }

    [SkippableFact]
    public async Task Send_LargeHeaderOverHttp2_Served()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version") { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("X-Filler", new string('x', 256 * 1024));

        using var response = await http.SendAsync(request);

        Assert.Equal((System.Net.HttpStatusCode.OK, System.Net.HttpVersion.Version20), (response.StatusCode, response.Version));
    }
}
