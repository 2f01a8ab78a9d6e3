using System.Net;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// Fields a kind does not declare, and values of the wrong type, never reach the store: a write without strict
/// validation drops unknown fields (as decoding into upstream's typed structs does) and warns of them, patches are
/// decoded like bodies, and a server-side apply configuration with undeclared fields is refused whatever
/// fieldValidation says. Runs on SQLite only: the datastore plays no part.
/// </summary>
public sealed class UnknownFieldTests : IClassFixture<SqliteClusterFixture>
{
    private const string ConfigMapWithUnknownField = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\nfoo: bar\n";

    private readonly SqliteClusterFixture _fixture;

    public UnknownFieldTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    [SkippableFact]
    public async Task Create_WithoutValidation_DropsUnknownFields()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n"
            + "  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        imagee: typo\n";

        (await Kubectl.RunWithInputAsync(ConfigMapWithUnknownField, "create", "--validate=false", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(deployment, "create", "--validate=false", "-n", ns, "-f", "-")).EnsureSuccess();

        var configMap = await GetJsonAsync(ns, "configmap", "cm");
        Assert.False(configMap.ContainsKey("foo"));
        Assert.Equal("b", configMap["data"]!["a"]!.GetValue<string>());
        var container = (await GetJsonAsync(ns, "deployment", "web"))["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        Assert.False(container.ContainsKey("imagee"));
        Assert.Equal("nginx", container["image"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Patch_WithUnknownFields_WarnsAndDropsThem()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("cm"), "create", "-n", ns, "-f", "-")).EnsureSuccess();

        var strategic = await Kubectl.RunAsync("patch", "configmap", "cm", "-n", ns, "-p", "{\"bar\":\"x\",\"data\":{\"c\":\"d\"}}");
        var merge = await Kubectl.RunAsync("patch", "configmap", "cm", "-n", ns, "--type=merge", "-p", "{\"baz\":\"x\"}");

        strategic.EnsureSuccess();
        merge.EnsureSuccess();
        // kubectl sends no fieldValidation with a patch; the server's default, Warn, reports each unknown field once.
        Assert.Equal(1, CountOf("Warning: unknown field \"bar\"", strategic.Stderr));
        Assert.Contains("Warning: unknown field \"baz\"", merge.Stderr, StringComparison.Ordinal);
        var configMap = await GetJsonAsync(ns, "configmap", "cm");
        Assert.False(configMap.ContainsKey("bar"));
        Assert.False(configMap.ContainsKey("baz"));
        Assert.Equal("d", configMap["data"]!["c"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Patch_WithValueOfWrongType_IsInvalidAndChangesNothing()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("03-deployment.yaml"))).EnsureSuccess();
        await Settled.ReadAsync(async () => (await GetJsonAsync(ns, "deployment", "nginx-deployment")).ToJsonString());
        var before = await GetJsonAsync(ns, "deployment", "nginx-deployment");

        var strategic = await Kubectl.RunAsync("patch", "deployment", "nginx-deployment", "-n", ns, "-p", "{\"spec\":{\"replicas\":\"five\"}}");
        var json = await Kubectl.RunAsync("patch", "deployment", "nginx-deployment", "-n", ns, "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":\"five\"}]");

        foreach (var result in new[] { strategic, json })
        {
            Assert.NotEqual(0, result.ExitCode);
            // handlers/patch.go: a patched object that does not decode is a 422 on "patch".
            Assert.Contains("The request is invalid: patch: Invalid value: ", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32", result.Stderr, StringComparison.Ordinal);
        }

        var after = await GetJsonAsync(ns, "deployment", "nginx-deployment");
        Assert.Equal(before["metadata"]!["resourceVersion"]!.GetValue<string>(), after["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Patch_WithUnknownFieldUnderStrictValidation_AnswersStrictDecodingError()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("cm"), "create", "-n", ns, "-f", "-")).EnsureSuccess();
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        using var patch = new StringContent("{\"bar\":\"x\"}", System.Text.Encoding.UTF8, "application/merge-patch+json");

        using var response = await http.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/cm?fieldValidation=Strict", patch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = await ApiHttp.ReadObjectAsync(response);
        Assert.Equal("strict decoding error: unknown field \"bar\"", status!["message"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task ServerSideApply_WithUndeclaredFields_IsRefusedEvenWithoutValidation()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n"
            + "  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        imagee: typo\n"
            + "        ports:\n        - containerPort: 80\n          hostPot: 80\n      tolerations:\n      - key: a\n        efect: NoSchedule\n";

        var configMap = await Kubectl.RunWithInputAsync(ConfigMapWithUnknownField, "apply", "--server-side", "--validate=false", "-n", ns, "-f", "-");
        var web = await Kubectl.RunWithInputAsync(deployment, "apply", "--server-side", "--validate=false", "-n", ns, "-f", "-");

        Assert.NotEqual(0, configMap.ExitCode);
        Assert.Contains($"failed to create typed patch object ({ns}/cm; /v1, Kind=ConfigMap): .foo: field not declared in schema", configMap.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, web.ExitCode);
        // Keyed list items by their keys, atomic ones by index, as structured-merge-diff names them.
        Assert.Contains($"failed to create typed patch object ({ns}/web; apps/v1, Kind=Deployment): errors:\n"
            + "  .spec.template.spec.containers[name=\"c\"].imagee: field not declared in schema\n"
            + "  .spec.template.spec.containers[name=\"c\"].ports[containerPort=80,protocol=\"TCP\"].hostPot: field not declared in schema\n"
            + "  .spec.template.spec.tolerations[0].efect: field not declared in schema", web.Stderr, StringComparison.Ordinal);
        var listed = await Kubectl.RunAsync("get", "configmap,deployment", "-n", ns, "-o", "name");
        Assert.DoesNotContain("configmap/cm", listed.EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("deployment", listed.Stdout, StringComparison.Ordinal);
    }

    private async Task<JsonObject> GetJsonAsync(string ns, string resource, string name) =>
        JsonNode.Parse((await Kubectl.RunAsync("get", resource, name, "-n", ns, "-o", "json")).EnsureSuccess().Stdout)!.AsObject();

    private static int CountOf(string text, string output) => output.Split(text).Length - 1;
}
