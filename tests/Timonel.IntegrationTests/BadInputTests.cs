using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// Malformed requests sent straight over HTTPS, as curl or a broken tool would: each must get a 4xx with a
/// Kubernetes Status saying what is wrong, and leave the server serving and the store as it was.
/// </summary>
public abstract class BadInputTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private static readonly string[] _watchedLists =
        ["/api/v1/namespaces/{ns}/configmaps", "/api/v1/namespaces/{ns}/pods", "/apis/apps/v1/namespaces/{ns}/deployments"];

    private readonly TFixture _fixture;

    protected BadInputTests(TFixture fixture) => _fixture = fixture;

    [SkippableTheory]
    [MemberData(nameof(BadInputCorpus.Names), MemberType = typeof(BadInputCorpus))]
    public async Task Send_BadInput_AnswersStatus4xxAndChangesNothing(string caseName)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var badCase = BadInputCorpus.Find(caseName);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithConfigMapAsync(http);
        var before = await SnapshotAsync(http, ns);

        using var response = await http.SendAsync(badCase.ToRequest(ns));
        var status = await ApiHttp.ReadObjectAsync(response);

        Assert.True((int)response.StatusCode == badCase.Code, $"{badCase.Name}: HTTP {(int)response.StatusCode}, expected {badCase.Code}: {status}");
        Assert.NotNull(status);
        Assert.Equal("Status", status["kind"]?.GetValue<string>());
        Assert.Equal("v1", status["apiVersion"]?.GetValue<string>());
        Assert.Equal("Failure", status["status"]?.GetValue<string>());
        Assert.Equal(badCase.Code, status["code"]?.GetValue<int>());
        Assert.Equal(badCase.Reason, status["reason"]?.GetValue<string>());
        Assert.Contains(badCase.Message, status["message"]?.GetValue<string>() ?? "", StringComparison.OrdinalIgnoreCase);

        await AssertStillServingAsync(http);
        Assert.Equal(before, await SnapshotAsync(http, ns));
    }

    [SkippableFact]
    public async Task Send_BadInputWithBearerToken_AnswersTheSameStatus()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var host = _fixture.Cluster.Host;
        using var http = ApiHttp.Create(host.Url, host.Pki.CertificateAuthority, bearerToken: host.Token.Full);
        var ns = await CreateNamespaceWithConfigMapAsync(http);

        using var response = await http.SendAsync(BadInputCorpus.Find("truncated JSON").ToRequest(ns));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", (await ApiHttp.ReadObjectAsync(response))?["reason"]?.GetValue<string>());
    }

    [SkippableFact]
    public async Task Create_WithoutKindAndApiVersion_TakesThemFromTheUrlAsUpstreamDoes()
    {
        // Upstream's decoder defaults a missing kind and apiVersion from the URL (serializer/json: gvkWithDefaults),
        // so a body without them is not bad input: it creates the object the URL names.
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithConfigMapAsync(http);

        using var response = await PostJsonAsync(http, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"kindless"},"data":{"a":"b"}}""");
        var created = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("ConfigMap", created?["kind"]?.GetValue<string>());
        Assert.Equal("v1", created?["apiVersion"]?.GetValue<string>());
    }

    [SkippableFact]
    public async Task Create_InvalidUtf8InAString_StoresReplacementCharactersAsUpstreamDoes()
    {
        // Go's encoding/json (and so upstream's decoder) replaces each invalid UTF-8 byte with U+FFFD rather than refusing
        // the body; clients reading the object back must see the same.
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithConfigMapAsync(http);
        byte[] body = [.. "{\"metadata\":{\"name\":\"utf8\"},\"data\":{\"a\":\"x"u8, 0xC3, 0x28, 0xFF, .. "\"}}"u8];

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } });
        var read = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps/utf8"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("x\uFFFD(\uFFFD", read?["data"]?["a"]?.GetValue<string>());
    }

    [SkippableFact]
    public async Task KubectlApply_TabIndentedYaml_FailsWithKubectlsYamlErrorAndCreatesNothing()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var kubectl = _fixture.Cluster.Kubectl;
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        var apply = await kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("bad/02-pod-tab-indented.yaml"));
        var pods = (await kubectl.RunAsync("get", "pods", "-n", ns, "-o", "name")).EnsureSuccess();

        Assert.NotEqual(0, apply.ExitCode);
        // kubectl parses the file itself (sigs.k8s.io/yaml), so the error is the YAML parser's, before any request.
        Assert.Contains("error converting YAML to JSON: yaml: line 8: found a tab character that violates indentation", apply.Stderr, StringComparison.Ordinal);
        Assert.Equal("", pods.Stdout.Trim());
    }

    private async Task<string> CreateNamespaceWithConfigMapAsync(HttpClient http)
    {
        var ns = $"bad-{Guid.NewGuid().ToString("N")[..8]}";
        using (var created = await PostJsonAsync(http, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await _fixture.Cluster.WaitForNamespaceDefaultsAsync(ns);
        using (var created = await PostJsonAsync(http, $"/api/v1/namespaces/{ns}/configmaps", $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{BadInputCorpus.ExistingConfigMap}}}"},"data":{"a":"b"}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        return ns;
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static Task<string> SnapshotAsync(HttpClient http, string ns) => NamespaceSnapshot.TakeAsync(http, ns, _watchedLists);

    private static async Task AssertStillServingAsync(HttpClient http)
    {
        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
        using var list = await http.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }
}

public sealed class BadInputTestsOnSqlite : BadInputTests<SqliteClusterFixture>
{
    public BadInputTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class BadInputTestsOnEtcd : BadInputTests<EtcdClusterFixture>
{
    public BadInputTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
