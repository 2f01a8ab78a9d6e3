using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// Request paths with "." and ".." segments, plain or percent-encoded, written to the wire as sent: the server must
/// route them unresolved, as kube-apiserver does, so no such path reaches another object, collection or namespace.
/// Each test lists the namespace, its ConfigMaps and its Secrets before and after and finds them unchanged.
/// </summary>
public sealed class PathTraversalTests : IClassFixture<SqliteClusterFixture>
{
    // Upstream's store key functions (registry/generic/registry/store.go) with path.IsValidPathSegmentName's texts.
    private const string DotDot = "Name parameter invalid: \"..\": may not be '..'";
    private const string Dot = "Name parameter invalid: \".\": may not be '.'";
    private const string NotFound = "the server could not find the requested resource";

    private readonly SqliteClusterFixture _fixture;

    public PathTraversalTests(SqliteClusterFixture fixture) => _fixture = fixture;

    public static TheoryData<string, string, int, string> DangerousPaths => new()
    {
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/..", 400, DotDot },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/%2e%2e", 400, DotDot },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/.%2E", 400, DotDot },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/.", 400, Dot },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/%2E", 400, Dot },
        { "DELETE", "/api/v1/namespaces/{ns}/secrets/..", 400, DotDot },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/../secrets", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/%2e%2e%2fsecrets", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/..%2F..", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/a%2Fb", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/a%25b", 400, "Name parameter invalid: \"a%b\": may not contain '%'" },
        { "DELETE", "/api/v1/namespaces//configmaps", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/%2F", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps//", 404, NotFound },
        { "DELETE", "//api/v1/namespaces/{ns}/configmaps", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/{ns}/..", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/..", 400, DotDot },
        { "DELETE", "/api/v1/namespaces/{ns}/configmaps/../../..", 404, NotFound },
        { "DELETE", "/apis/rbac.authorization.k8s.io/v1/clusterroles/..", 400, DotDot },
        { "DELETE", "/apis/apps/v1/namespaces/{ns}/deployments/..", 400, DotDot },
        { "GET", "/apis/../api/v1/secrets", 404, NotFound },
        { "GET", "/apis/../api/v1/namespaces/{ns}/secrets", 404, NotFound },
        { "GET", "/api/v1/namespaces/{ns}/configmaps/..", 400, DotDot },
        { "GET", "/api/v1/namespaces/{ns}/pods/../log", 400, DotDot },
        { "GET", "/apis/apps/v1/namespaces/{ns}/deployments/../scale", 400, DotDot },
        { "GET", "/api/v1/namespaces/../status", 400, DotDot },
        { "GET", "/version/..", 404, NotFound },
        { "GET", "/openapi/v3/../v2", 404, NotFound },
        { "DELETE", "/apis/apps/v1/..", 404, NotFound },
        { "DELETE", "/api/v1/namespaces/{ns}/pods/%2E%2E/exec", 405, "the server does not allow this method on the requested resource" },
        { "PATCH", "/api/v1/namespaces/{ns}/configmaps/..", 400, DotDot },
        { "PUT", "/api/v1/namespaces/{ns}/configmaps/..", 400, "" },
    };

    [SkippableTheory]
    [MemberData(nameof(DangerousPaths))]
    public async Task Send_DotSegmentPath_AnswersAsUpstreamAndDeletesNothing(string method, string path, int code, string message)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await CreateNamespaceWithObjectsAsync(http);
        await _fixture.Cluster.WaitForNamespaceDefaultsAsync(ns);
        var before = await SnapshotAsync(http, ns);
        var body = method is "PATCH" or "PUT" ? """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"},"data":{"a":"changed"}}""" : null;
        var contentType = method == "PATCH" ? "application/merge-patch+json" : "application/json";
        var head = $"{method} {path.Replace("{ns}", ns, StringComparison.Ordinal)} HTTP/1.1\r\nHost: {_fixture.Cluster.Host.Url.Authority}\r\n"
            + (body is null ? "" : $"Content-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n");

        var response = await RawHttps.SendAsync(_fixture.Cluster, head, body is null ? null : Encoding.UTF8.GetBytes(body));

        Assert.True(response.Code == code, $"{method} {path}: HTTP {response.Code}, expected {code}: {response.Body}");
        Assert.Equal("Status", response.Json?["kind"]?.GetValue<string>());
        Assert.Contains(message, response.Json?["message"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(http, ns));
    }

    [SkippableTheory]
    [InlineData("/api/v1/namespaces/default/configmaps/%zz")]
    [InlineData("/api/v1/namespaces/default/configmaps/a%2")]
    public async Task Send_BadPercentEscape_BareBadRequestAsGoAnswers(string path)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var response = await RawHttps.SendAsync(_fixture.Cluster, $"DELETE {path} HTTP/1.1\r\nHost: {_fixture.Cluster.Host.Url.Authority}\r\n");

        Assert.Equal((400, "400 Bad Request"), (response.Code, response.Body));
    }

    private static async Task<string> CreateNamespaceWithObjectsAsync(HttpClient http)
    {
        var ns = $"path-{Guid.NewGuid().ToString("N")[..8]}";
        await PostAsync(http, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""");
        await PostAsync(http, $"/api/v1/namespaces/{ns}/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"},"data":{"a":"b"}}""");
        await PostAsync(http, $"/api/v1/namespaces/{ns}/secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"kept"},"stringData":{"a":"b"}}""");
        return ns;
    }

    private static async Task PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, ApiHttp.Json(json));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The namespace's phase and the names and data of its ConfigMaps and Secrets, and the cluster's namespaces.</summary>
    private static async Task<string> SnapshotAsync(HttpClient http, string ns)
    {
        var parts = new List<string>();
        foreach (var path in new[] { $"/api/v1/namespaces/{ns}", $"/api/v1/namespaces/{ns}/configmaps", $"/api/v1/namespaces/{ns}/secrets", "/api/v1/namespaces/default", "/api/v1/namespaces/kube-system" })
        {
            using var response = await http.GetAsync(path);
            var obj = await ApiHttp.ReadObjectAsync(response);
            parts.Add($"{path} {(int)response.StatusCode} {obj?["status"]?["phase"]} {Describe(obj?["items"] as JsonArray)}");
        }

        return string.Join("\n", parts);
    }

    private static string Describe(JsonArray? items) =>
        items is null ? "" : string.Join(",", items.Select(i => $"{i?["metadata"]?["name"]}={i?["data"]?.ToJsonString()}@{i?["metadata"]?["resourceVersion"]}"));
}
