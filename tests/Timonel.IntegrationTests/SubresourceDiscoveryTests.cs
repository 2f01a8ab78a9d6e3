using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// The subresources /api/v1 lists (kubectl api-resources hides them; kubectl drain reads pods/eviction's group and
/// version here to choose the Eviction version it posts), with the verbs and kinds upstream lists.
/// </summary>
public sealed class SubresourceDiscoveryTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public SubresourceDiscoveryTests(SqliteClusterFixture fixture) => _fixture = fixture;

    [SkippableTheory]
    [InlineData("pods/log", "Pod", null, "get")]
    [InlineData("pods/exec", "PodExecOptions", null, "create,get")]
    [InlineData("pods/attach", "PodAttachOptions", null, "create,get")]
    [InlineData("pods/portforward", "PodPortForwardOptions", null, "create,get")]
    [InlineData("pods/binding", "Binding", null, "create")]
    [InlineData("pods/eviction", "Eviction", "policy/v1", "create")]
    [InlineData("pods/status", "Pod", null, "get,patch,update")]
    [InlineData("namespaces/finalize", "Namespace", null, "update")]
    [InlineData("serviceaccounts/token", "TokenRequest", "authentication.k8s.io/v1", "create")]
    [InlineData("bindings", "Binding", null, "create")]
    public async Task CoreV1_Subresource_ListedWithUpstreamVerbs(string name, string kind, string? groupVersion, string verbs)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var raw = await _fixture.Cluster.Kubectl.RunAsync("get", "--raw", "/api/v1");
        var resource = JsonNode.Parse(raw.EnsureSuccess().Stdout)!["resources"]!.AsArray().Single(r => (string?)r!["name"] == name)!;

        Assert.Equal(kind, (string?)resource["kind"]);
        Assert.Equal(groupVersion, resource["group"] is { } group ? $"{group}/{resource["version"]}" : null);
        Assert.Equal(verbs, string.Join(',', resource["verbs"]!.AsArray().Select(v => (string?)v)));
    }

    [SkippableFact]
    public async Task AppsV1_Deployments_ScaleAndStatusListed()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var raw = await _fixture.Cluster.Kubectl.RunAsync("get", "--raw", "/apis/apps/v1");
        var names = JsonNode.Parse(raw.EnsureSuccess().Stdout)!["resources"]!.AsArray().Select(r => (string?)r!["name"]).ToList();

        Assert.Equal(["deployments", "deployments/scale", "deployments/status"], names.Where(n => n!.StartsWith("deployments", StringComparison.Ordinal)));
    }
}
