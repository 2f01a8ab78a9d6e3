using System.Net;

namespace Timonel.IntegrationTests;

/// <summary>
/// Delete, list, watch and write options that do not decode or do not validate, sent over HTTPS: each is refused with
/// upstream's status, reason and message before anything is read or written, and no object is deleted.
/// </summary>
public abstract class RequestOptionsTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private const string ConfigMaps = "/api/v1/namespaces/{ns}/configmaps";

    private readonly TFixture _fixture;

    protected RequestOptionsTests(TFixture fixture) => _fixture = fixture;

    [SkippableTheory]
    [MemberData(nameof(RequestOptionsCorpus.Refused), MemberType = typeof(RequestOptionsCorpus))]
    public async Task Send_RefusedOptions_AnswersUpstreamStatusAndKeepsTheObjects(string method, string path, string? body, int code, string reason, string message)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        using (var created = await http.PostAsync(ConfigMaps.Replace("{ns}", ns, StringComparison.Ordinal), ApiHttp.Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"},"data":{"a":"b"}}""")))
        {
            created.EnsureSuccessStatusCode();
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{ns}", ns, StringComparison.Ordinal)) { Content = body is null ? null : ApiHttp.Json(body) };
        using var response = await http.SendAsync(request);
        var status = await ApiHttp.ReadObjectAsync(response);

        Assert.True((int)response.StatusCode == code, $"HTTP {(int)response.StatusCode}, expected {code}: {status}");
        Assert.Equal(reason, status?["reason"]?.GetValue<string>());
        Assert.StartsWith(message, status?["message"]?.GetValue<string>(), StringComparison.Ordinal);
        using var list = await http.GetAsync(ConfigMaps.Replace("{ns}", ns, StringComparison.Ordinal));
        var names = (await ApiHttp.ReadObjectAsync(list))?["items"]?.AsArray()
            .Where(item => item?["metadata"]?["deletionTimestamp"] is null)
            .Select(item => item?["metadata"]?["name"]?.GetValue<string>());
        Assert.Equal(["existing", "kube-root-ca.crt"], names!);
    }

    [SkippableTheory]
    [InlineData("--dry-run=server", "configmap \"existing\" deleted (server dry run)", true)]
    [InlineData("--now", "configmap \"existing\" deleted", false)]
    [InlineData("--grace-period=-1", "configmap \"existing\" deleted", false)]
    public async Task KubectlDelete_OptionsInTheBody_TakenFromTheBody(string flag, string output, bool kept)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var kubectl = _fixture.Cluster.Kubectl;
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await kubectl.RunAsync("create", "configmap", "existing", "-n", ns, "--from-literal=a=b")).EnsureSuccess();

        var deleted = (await kubectl.RunAsync("delete", "configmap", "existing", "-n", ns, flag)).EnsureSuccess();
        var after = await kubectl.RunAsync("get", "configmap", "existing", "-n", ns, "-o", "name");

        Assert.Equal(output, deleted.Stdout.Trim());
        Assert.Equal(kept, after.ExitCode == 0);
    }

    [SkippableTheory]
    [InlineData("?watch=true&timeoutSeconds=9223372036854775807")]
    [InlineData("?watch=yes&timeoutSeconds=100000000000")]
    [InlineData("?watch=true&timeoutSeconds=-5")]
    [InlineData("?watch&allowWatchBookmarks=garbage")]
    public async Task Watch_LooseOrHugeOptions_StreamsAsUpstream(string query)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        using var response = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps{query}", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    // The watch's lifetime must end the stream, not the connection: a lifetime that falls due in the middle of a write
    // once made Kestrel abort the connection (reset before the headers) about once in 250 watches.
    [SkippableFact]
    public async Task Watch_ExpiringAtOnce_EndsCleanlyEveryTime()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        for (var attempt = 0; attempt < 1000; attempt++)
        {
            using var response = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=-5&resourceVersion=1");

            // Which events make it out before the lifetime ends is a race, as upstream's; the stream must be whole.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var events = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(events, line => Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(line)?["type"]));
        }
    }
}

public sealed class RequestOptionsTestsOnSqlite : RequestOptionsTests<SqliteClusterFixture>
{
    public RequestOptionsTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class RequestOptionsTestsOnEtcd : RequestOptionsTests<EtcdClusterFixture>
{
    public RequestOptionsTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
