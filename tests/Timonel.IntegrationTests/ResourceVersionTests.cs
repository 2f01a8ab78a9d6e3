using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>resourceVersion semantics: watch from a version, list at an exact version, 410 Gone once compacted.</summary>
public abstract class ResourceVersionTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected ResourceVersionTests(TFixture fixture) => _fixture = fixture;

    [SkippableFact]
    public async Task WatchAndExactList_AfterCompaction_AnswerGone()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var firstVersion = await CreateConfigMapAsync(http, collection, "rv");
        for (var i = 1; i <= 3; i++)
        {
            using var patched = await http.PatchAsync($"{collection}/rv", new StringContent("{\"data\":{\"v\":\"" + i + "\"}}", Encoding.UTF8, "application/merge-patch+json"));
            patched.EnsureSuccessStatusCode();
        }

        var exactBefore = await GetAsync(http, $"{collection}?resourceVersion={firstVersion}&resourceVersionMatch=Exact");
        await _fixture.Cluster.Storage.CompactAsync(await _fixture.Cluster.Storage.CurrentRevisionAsync());
        var exactAfter = await GetAsync(http, $"{collection}?resourceVersion={firstVersion}&resourceVersionMatch=Exact");
        var watchEvent = await FirstWatchEventAsync(http, $"{collection}?watch=true&resourceVersion=1");

        Assert.Equal("0", exactBefore.Body?["items"]?.AsArray().Single(i => i?["metadata"]?["name"]?.GetValue<string>() == "rv")?["data"]?["v"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.Gone, exactAfter.Code);
        Assert.Equal("Expired", exactAfter.Body?["reason"]?.GetValue<string>());
        Assert.Equal("ERROR", watchEvent?["type"]?.GetValue<string>());
        Assert.Equal(410, watchEvent?["object"]?["code"]?.GetValue<int>());
        Assert.StartsWith("too old resource version: 1 (", watchEvent?["object"]?["message"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Watch_FromAVersion_ReplaysLaterChangesInOrderWithBookmarks()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var version = await CreateConfigMapAsync(http, collection, "w");
        using var patched = await http.PatchAsync($"{collection}/w", new StringContent("""{"data":{"v":"1"}}""", Encoding.UTF8, "application/merge-patch+json"));
        using var deleted = await http.DeleteAsync($"{collection}/w");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{collection}?watch=true&resourceVersion={version}&allowWatchBookmarks=true&timeoutSeconds=2");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Equal(["MODIFIED", "DELETED"], lines.Select(l => l["type"]!.GetValue<string>()).Where(t => t != "BOOKMARK"));
        Assert.Equal("1", lines[0]["object"]!["data"]!["v"]!.GetValue<string>());
        var versions = lines.Select(l => long.Parse(l["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(versions.Order(), versions);
    }


    // The watch starts just after "a" was created; then b is created, a changed and deleted, b changed and deleted.
    [SkippableTheory]
    [InlineData("metadata.name=b,metadata.namespace=NS", "ADDED b,MODIFIED b,DELETED b")]
    [InlineData("metadata.namespace=NS,metadata.name!=b", "MODIFIED a,DELETED a")]
    [InlineData("metadata.name=nothing-here", "")]
    public async Task Watch_AllNamespacesWithNameOrNamespaceSelector_OnlyTheSelectedObjectsEvents(string selector, string expected)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        var version = await CreateConfigMapAsync(http, collection, "a");
        await CreateConfigMapAsync(http, collection, "b");
        foreach (var name in new[] { "a", "b" })
        {
            using var patched = await http.PatchAsync($"{collection}/{name}", new StringContent("""{"data":{"v":"1"}}""", Encoding.UTF8, "application/merge-patch+json"));
            using var deleted = await http.DeleteAsync($"{collection}/{name}");
        }

        var fieldSelector = Uri.EscapeDataString(selector.Replace("NS", ns, StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/configmaps?watch=true&resourceVersion={version}&fieldSelector={fieldSelector}&timeoutSeconds=2");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!);
        var seen = lines.Select(l => $"{l["type"]!.GetValue<string>()} {l["object"]!["metadata"]!["name"]!.GetValue<string>()}");

        Assert.Equal(expected, string.Join(",", seen));
    }

    /// <summary>Creates ConfigMap <paramref name="name"/> with data v=0; answers its resourceVersion.</summary>
    private static async Task<string> CreateConfigMapAsync(HttpClient http, string collection, string name)
    {
        using var created = await http.PostAsync(collection, ApiHttp.Json($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"v":"0"}}"""));
        return (await ApiHttp.ReadObjectAsync(created))!["metadata"]!["resourceVersion"]!.GetValue<string>();
    }

    private static async Task<(HttpStatusCode Code, JsonObject? Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await ApiHttp.ReadObjectAsync(response));
    }

    private static async Task<JsonNode?> FirstWatchEventAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path + "&timeoutSeconds=5");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await reader.ReadLineAsync();
        return line is null ? null : JsonNode.Parse(line);
    }
}

public sealed class ResourceVersionTestsOnSqlite : ResourceVersionTests<SqliteClusterFixture>
{
    public ResourceVersionTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class ResourceVersionTestsOnEtcd : ResourceVersionTests<EtcdClusterFixture>
{
    public ResourceVersionTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
