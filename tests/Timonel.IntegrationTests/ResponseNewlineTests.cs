using System.Net;

namespace Timonel.IntegrationTests;

/// <summary>
/// JSON bodies end with the newline kube-apiserver's encoder (encoding/json's Encoder) writes after each value, as
/// clients comparing bodies byte for byte expect; /version is written raw upstream, without one.
/// </summary>
public sealed class ResponseNewlineTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public ResponseNewlineTests(SqliteClusterFixture fixture) => _fixture = fixture;

    [SkippableTheory]
    [InlineData("/api/v1/namespaces/default", HttpStatusCode.OK)]
    [InlineData("/api/v1/namespaces", HttpStatusCode.OK)]
    [InlineData("/api/v1/namespaces/default/configmaps/absent", HttpStatusCode.NotFound)]
    [InlineData("/api/v1", HttpStatusCode.OK)]
    [InlineData("/apis", HttpStatusCode.OK)]
    public async Task Get_JsonAnswer_EndsWithOneNewline(string path, HttpStatusCode expected)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();

        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.EndsWith("}\n", body, StringComparison.Ordinal);
        Assert.Equal(body.Length, (int)response.Content.Headers.ContentLength!);
    }

    [SkippableFact]
    public async Task Get_Table_EndsWithNewline()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");

        var body = await http.GetStringAsync("/api/v1/namespaces");

        Assert.Contains("\"kind\":\"Table\"", body, StringComparison.Ordinal);
        Assert.EndsWith("}\n", body, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Create_Answer_EndsWithNewline()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        using var http = _fixture.Cluster.CreateAdminHttpClient();

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiHttp.Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.EndsWith("}\n", body, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Version_WrittenRaw_NoTrailingNewline()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();

        var body = await http.GetStringAsync("/version");

        Assert.EndsWith("}", body, StringComparison.Ordinal);
    }
}
