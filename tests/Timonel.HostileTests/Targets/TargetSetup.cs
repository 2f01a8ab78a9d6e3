using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Timonel.IntegrationTests;

namespace Timonel.HostileTests.Targets;

/// <summary>
/// Prepares the cluster for the suite: per class a namespace of its own holding one object of each kind the patches, deletes and
/// paths aim at, a real continue token, the served kinds, and the repo's examples as JSON (converted by kubectl).
/// </summary>
internal static class TargetSetup
{
    private static readonly (string Path, string Json)[] _existing =
    [
        ("/api/v1/namespaces/{ns}/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"},"data":{"a":"b"}}"""),
        ("/api/v1/namespaces/{ns}/secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"existing"},"data":{"a":"Yg=="}}"""),
        ("/api/v1/namespaces/{ns}/serviceaccounts", """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"existing"}}"""),
        ("/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"existing"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}]}"""),
    ];

    /// <summary>One target per class, each in a namespace of its own, prepared side by side.</summary>
    public static async Task<IReadOnlyList<SuiteTarget>> PrepareAsync(TestCluster cluster, HttpClient http, int count)
    {
        var kinds = await Discovery.ReadAsync(http);
        var catalog = FieldCatalogFile.Load();
        var examples = await ExamplesAsync(cluster.Kubectl);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(_ => PrepareNamespaceAsync(cluster, http, kinds, catalog, examples)));
    }

    private static async Task<SuiteTarget> PrepareNamespaceAsync(
        TestCluster cluster, HttpClient http, IReadOnlyList<ServedKind> kinds, FieldCatalogFile catalog, IReadOnlyDictionary<string, JsonObject> examples)
    {
        var ns = SuiteTarget.NamespacePrefix + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(http, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""");
        await cluster.WaitForNamespaceDefaultsAsync(ns);
        var existing = new List<ExistingObject>();
        foreach (var (path, json) in _existing)
        {
            var created = await CreateAsync(http, path.Replace("{ns}", ns, StringComparison.Ordinal), json);
            var kind = kinds.First(k => k.CollectionPath == path);
            existing.Add(new ExistingObject(kind, SuiteTarget.ExistingName, created));
        }

        var page = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps?limit=1"))!;
        var token = page["metadata"]?["continue"]?.GetValue<string>() ?? throw new InvalidOperationException("a list with limit=1 of two ConfigMaps gave no continue token");
        return new SuiteTarget(ns, kinds, catalog, examples, existing, token);
    }

    private static async Task<JsonObject> CreateAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"setup: POST {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Each example object by "apiVersion/Kind" (the first of a kind wins), as kubectl would send it.</summary>
    private static async Task<Dictionary<string, JsonObject>> ExamplesAsync(Kubectl kubectl)
    {
        var examples = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var converted = (await kubectl.RunAsync("create", "--dry-run=client", "-o", "json", "-f", file)).EnsureSuccess().Stdout;
            foreach (var obj in Objects(converted))
            {
                examples.TryAdd($"{obj["apiVersion"]}/{obj["kind"]}", obj);
            }
        }

        return examples;
    }

    /// <summary>The objects of kubectl's output: one JSON document per object of a multi-document file.</summary>
    private static List<JsonObject> Objects(string json)
    {
        var objects = new List<JsonObject>();
        var reader = new System.Text.Json.Utf8JsonReader(Encoding.UTF8.GetBytes(json), new System.Text.Json.JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            objects.Add(JsonNode.Parse(ref reader)!.AsObject());
        }

        return objects;
    }
}
