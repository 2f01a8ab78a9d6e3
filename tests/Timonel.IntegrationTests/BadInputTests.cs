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

    [SkippableTheory]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first","name":"repeated"},"data":{"a":"1","a":"2"}}""",
        "299 - \"duplicate field \\\"metadata.name\\\"\"|299 - \"duplicate field \\\"data.a\\\"\"")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"repeated"},"data":{"a":"2"},"\u0001x":1,"é":2}""",
        "299 - \"unknown field \\\"\\\\x01x\\\"\"|299 - \"unknown field \\\"\\\\u00e9\\\"\"")]
    public async Task Create_RepeatedOrUnprintableFields_CreatedWithQuotedWarnings(string body, string warnings)
    {
        // Upstream's decoder keeps a repeated key's last value and, under the default fieldValidation=Warn, sends each
        // strict decoding error as a Warning header; names are quoted as Go's %q quotes them.
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithConfigMapAsync(http);

        using var response = await PostJsonAsync(http, $"/api/v1/namespaces/{ns}/configmaps", body);
        var created = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(("repeated", "2"), (created?["metadata"]?["name"]?.GetValue<string>(), created?["data"]?["a"]?.GetValue<string>()));
        Assert.Equal(warnings, string.Join('|', response.Headers.GetValues("Warning")));
    }

    [SkippableFact]
    public async Task Create_LoneSurrogateEscapes_StoresReplacementCharactersAsGoDoes()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithConfigMapAsync(http);

        using var response = await PostJsonAsync(http, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"surrogate"},"data":{"a":"x\ud800y"}}""");
        using var patched = await http.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/surrogate",
            new StringContent("""[{"op":"add","path":"/data/b","value":"\udc00"}]""", Encoding.UTF8, "application/json-patch+json"));
        var read = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps/surrogate"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (response.StatusCode, patched.StatusCode));
        Assert.Equal(("x\uFFFDy", "\uFFFD"), (read?["data"]?["a"]?.GetValue<string>(), read?["data"]?["b"]?.GetValue<string>()));
    }

    [SkippableFact]
    public async Task Create_YamlStartingWithByteOrderMark_ReadAsWithout()
    {
        // go-yaml skips a leading byte order mark; it is not part of the first key.
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithConfigMapAsync(http);
        var yaml = new ByteArrayContent([.. "\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bom\n"u8]) { Headers = { { "Content-Type", "application/yaml" } } };

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", yaml);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
    }

    [SkippableFact]
    public async Task Create_YamlStartingWithTwoByteOrderMarks_BadRequest()
    {
        // Only the first mark is the encoding's; go-yaml's scanner skips the second but counts it as a column, so the
        // first key stands indented over the next ones and the document does not parse.
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithConfigMapAsync(http);
        var yaml = new ByteArrayContent([.. "\uFEFF\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bom2\n"u8]) { Headers = { { "Content-Type", "application/yaml" } } };

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", yaml);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps/bom2")).StatusCode);
    }

    [SkippableFact]
    public async Task CustomResource_FreeFormFieldNested500Deep_ServedLikeAnyOther()
    {
        // Upstream accepts free-form custom-resource fields up to 10,000 levels; the server takes bodies to 512, and then
        // every read, list, watch, table and patch of the object must handle what it accepted.
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithConfigMapAsync(http);
        using (var crd = await PostJsonAsync(http, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"deepwidgets.bad.example.com"},
             "spec":{"group":"bad.example.com","scope":"Namespaced","names":{"plural":"deepwidgets","singular":"deepwidget","kind":"DeepWidget"},
             "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}
            """))
        {
            Assert.True(crd.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, crd.StatusCode.ToString());
        }

        var kubectl = _fixture.Cluster.Kubectl;
        (await kubectl.RunAsync("wait", "--for=condition=established", "crd/deepwidgets.bad.example.com", "--timeout=20s")).EnsureSuccess();
        var spec = string.Concat(Enumerable.Repeat("{\"x\":", 500)) + "\"leaf\"" + new string('}', 500);
        var path = $"/apis/bad.example.com/v1/namespaces/{ns}/deepwidgets";

        using var created = await PostJsonAsync(http, path, $$"""{"apiVersion":"bad.example.com/v1","kind":"DeepWidget","metadata":{"name":"deep"},"spec":{{spec}}}""");
        using var patched = await http.PatchAsync(path + "/deep", new StringContent("""{"metadata":{"labels":{"a":"b"}}}""", Encoding.UTF8, "application/merge-patch+json"));
        using var read = await http.GetAsync(path + "/deep");
        using var list = await http.GetAsync(path);
        var table = await kubectl.RunAsync("get", "deepwidgets", "-n", ns);

        Assert.Equal(
            (HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, 0),
            (created.StatusCode, patched.StatusCode, read.StatusCode, list.StatusCode, table.ExitCode));
        Assert.Contains(spec, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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
