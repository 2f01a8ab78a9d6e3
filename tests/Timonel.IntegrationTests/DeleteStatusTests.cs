using System.Net;

namespace Timonel.IntegrationTests;

/// <summary>
/// The status code and effect of DELETE as upstream's delete handler answers them: 200 even when the object lingers,
/// 202 only for a lingering object deleted with the deprecated orphanDependents=false (which means foreground).
/// </summary>
public abstract class DeleteStatusTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected DeleteStatusTests(TFixture fixture) => _fixture = fixture;

    [SkippableFact]
    public async Task DeleteNamespace_Terminating_Answers200WithTheNamespace()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        using var response = await http.DeleteAsync($"/api/v1/namespaces/{ns}");
        var body = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Terminating", body?["status"]?["phase"]?.GetValue<string>());
        Assert.Null(body?["metadata"]?["deletionGracePeriodSeconds"]);
    }

    [SkippableFact]
    public async Task DeleteHeldConfigMap_OrphanDependentsFalse_Answers202AndDeletesInForeground()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        await CreateAsync(http, path, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/keep"]}}""");

        using var request = new HttpRequestMessage(HttpMethod.Delete, path + "/held") { Content = ApiHttp.Json("""{"kind":"DeleteOptions","apiVersion":"v1","orphanDependents":false}""") };
        using var response = await http.SendAsync(request);
        var body = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("""["example.com/keep","foregroundDeletion"]""", body?["metadata"]?["finalizers"]?.ToJsonString());
    }

    [SkippableFact]
    public async Task Delete_OrphanDependentsAndPropagationPolicy_RefusedAsUpstream()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        await CreateAsync(http, path, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""");

        using var request = new HttpRequestMessage(HttpMethod.Delete, path + "/c?orphanDependents=true&propagationPolicy=Background");
        using var response = await http.SendAsync(request);
        var body = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.EndsWith("propagationPolicy: Invalid value: \"Background\": orphanDependents and deletionPropagation cannot be both set", body?["message"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task CreateAsync(HttpClient http, string collection, string json)
    {
        using var created = await http.PostAsync(collection, ApiHttp.Json(json));
        created.EnsureSuccessStatusCode();
    }
}

public sealed class DeleteStatusTestsOnSqlite : DeleteStatusTests<SqliteClusterFixture>
{
    public DeleteStatusTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
