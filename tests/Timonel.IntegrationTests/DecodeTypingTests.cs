using System.Net;

namespace Timonel.IntegrationTests;

/// <summary>
/// Writes whose result does not decode as the kind (upstream's typed decoding): every write path refuses them with
/// upstream's answer, and the store keeps only objects every typed client can read.
/// </summary>
public abstract class DecodeTypingTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private const string WidgetDefinition = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.typing.example.com"},
         "spec":{"group":"typing.example.com","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}}}]}}
        """;

    private static readonly string[] _watchedLists =
        [DecodeTypingCorpus.Deployments, DecodeTypingCorpus.ConfigMaps, "/api/v1/namespaces/{ns}/secrets", DecodeTypingCorpus.Widgets];

    private readonly TFixture _fixture;

    protected DecodeTypingTests(TFixture fixture) => _fixture = fixture;

    [SkippableTheory]
    [MemberData(nameof(DecodeTypingCorpus.Names), MemberType = typeof(DecodeTypingCorpus))]
    public async Task Send_ValueThatDoesNotDecode_RefusedAsUpstreamAndStoreUnchanged(string caseName)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var badCase = DecodeTypingCorpus.Cases.Single(c => c.Name == caseName);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithObjectsAsync(http);
        var before = await Settled.ReadAsync(() => SnapshotAsync(http, ns));

        using var response = await http.SendAsync(badCase.ToRequest(ns));
        var status = await ApiHttp.ReadObjectAsync(response);

        Assert.True((int)response.StatusCode == badCase.Code, $"{badCase.Name}: HTTP {(int)response.StatusCode}, expected {badCase.Code}: {status}");
        Assert.Equal(badCase.Reason, status?["reason"]?.GetValue<string>());
        Assert.Contains(badCase.Message, status?["message"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(http, ns));
    }

    private async Task<string> CreateNamespaceWithObjectsAsync(HttpClient http)
    {
        await EnsureWidgetDefinitionAsync(http);
        var ns = $"typing-{Guid.NewGuid().ToString("N")[..8]}";
        await CreateAsync(http, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""");
        await _fixture.Cluster.WaitForNamespaceDefaultsAsync(ns);
        await CreateAsync(http, DecodeTypingCorpus.Deployments.Replace("{ns}", ns, StringComparison.Ordinal), DecodeTypingCorpus.DeploymentJson("existing", "1"));
        await CreateAsync(http, DecodeTypingCorpus.ConfigMaps.Replace("{ns}", ns, StringComparison.Ordinal), """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"},"binaryData":{"a":"YQ=="}}""");
        await CreateAsync(http, DecodeTypingCorpus.Widgets.Replace("{ns}", ns, StringComparison.Ordinal), """{"apiVersion":"typing.example.com/v1","kind":"Widget","metadata":{"name":"existing"},"spec":{"size":1}}""");
        return ns;
    }

    private static async Task CreateAsync(HttpClient http, string path, string json)
    {
        using var created = await http.PostAsync(path, ApiHttp.Json(json));
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    }

    /// <summary>Created once per server; its API is served once the definition is established.</summary>
    private async Task EnsureWidgetDefinitionAsync(HttpClient http)
    {
        using (var created = await http.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", ApiHttp.Json(WidgetDefinition)))
        {
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"CRD: {(int)created.StatusCode}");
        }

        (await _fixture.Cluster.Kubectl.RunAsync("wait", "--for=condition=established", "crd/widgets.typing.example.com", "--timeout=20s")).EnsureSuccess();
    }

    private static Task<string> SnapshotAsync(HttpClient http, string ns) => NamespaceSnapshot.TakeAsync(http, ns, _watchedLists);
}

public sealed class DecodeTypingTestsOnSqlite : DecodeTypingTests<SqliteClusterFixture>
{
    public DecodeTypingTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
