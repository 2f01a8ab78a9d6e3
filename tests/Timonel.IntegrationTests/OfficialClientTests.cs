using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.IntegrationTests;

/// <summary>
/// The official C# client (KubernetesClient) against the cluster through the kubeconfig the server writes: typed
/// CRUD, patches, label selectors, watches and optimistic concurrency, as an application would use them.
/// </summary>
public abstract class OfficialClientTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private static readonly TimeSpan _watchTimeout = TimeSpan.FromSeconds(10);
    private readonly TFixture _fixture;

    protected OfficialClientTests(TFixture fixture) => _fixture = fixture;

    [SkippableFact]
    public async Task ConfigMap_ServerSideApply_CreatesThenMergesAndReportsConflicts()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = CreateClient();
        var ns = await CreateNamespaceAsync(client);
        const string Applied = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"},\"data\":{\"a\":\"1\"}}";

        var created = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(Applied, V1Patch.PatchType.ApplyPatch), "applied", ns, fieldManager: "app");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"a\":\"2\"}}", V1Patch.PatchType.MergePatch), "applied", ns, fieldManager: "editor");
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(Applied, V1Patch.PatchType.ApplyPatch), "applied", ns, fieldManager: "app"));
        var forced = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(Applied, V1Patch.PatchType.ApplyPatch), "applied", ns, fieldManager: "app", force: true);

        Assert.Equal("1", created.Data["a"]);
        Assert.Equal("app", Assert.Single(created.Metadata.ManagedFields).Manager);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"editor\" using v1: .data.a", (string?)JsonNode.Parse(conflict.Response.Content)?["message"]);
        Assert.Equal("1", forced.Data["a"]);
        Assert.Equal(["app"], forced.Metadata.ManagedFields.Select(e => e.Manager));
    }

    [SkippableFact]
    public async Task ConfigMap_CreateReadReplacePatchDelete_EachStepVisible()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = CreateClient();
        var ns = await CreateNamespaceAsync(client);

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("settings", ("a", "1")), ns);
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns);
        read.Data["a"] = "2";
        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "settings", ns);
        var strategic = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"b":"3"}}""", V1Patch.PatchType.StrategicMergePatch), "settings", ns);
        var merged = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":null}}""", V1Patch.PatchType.MergePatch), "settings", ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("settings", ns);
        var afterDelete = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns));

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("2", replaced.Data["a"]);
        Assert.NotEqual(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "2", ["b"] = "3" }, strategic.Data);
        Assert.Equal(new Dictionary<string, string> { ["b"] = "3" }, merged.Data);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.Response.StatusCode);
    }

    [SkippableFact]
    public async Task Deployment_CreateReadReplacePatchDelete_EachStepVisible()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = CreateClient();
        var ns = await CreateNamespaceAsync(client);

        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), ns);
        // The deployment controller writes the status meanwhile: a read-modify-write retries on conflict, as
        // client-go's RetryOnConflict does.
        V1Deployment? replaced = null;
        for (var attempt = 0; replaced is null && attempt < 10; attempt++)
        {
            var read = await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
            read.Spec.Replicas = 3;
            try
            {
                replaced = await client.AppsV1.ReplaceNamespacedDeploymentAsync(read, "web", ns);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
            }
        }

        // Strategic merge matches containers by name: only "web" changes, "sidecar" stays.
        var strategic = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "web", ns);
        var merged = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "web", ns);
        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", ns);
        var afterDelete = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", ns));

        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(1, created.Spec.Replicas);
        Assert.NotNull(replaced);
        Assert.Equal(3, replaced.Spec.Replicas);
        Assert.Equal(2, replaced.Metadata.Generation);
        Assert.Equal(["web=nginx:1.27", "sidecar=busybox:1.36"], strategic.Spec.Template.Spec.Containers.Select(c => $"{c.Name}={c.Image}"));
        Assert.Equal(5, merged.Spec.Replicas);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.Response.StatusCode);
    }

    [SkippableFact]
    public async Task ListConfigMaps_WithLabelSelector_ReturnsOnlyMatching()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = CreateClient();
        var ns = await CreateNamespaceAsync(client);
        foreach (var (name, tier) in new[] { ("front-1", "front"), ("front-2", "front"), ("back-1", "back") })
        {
            var configMap = ConfigMap(name, ("a", "b"));
            configMap.Metadata.Labels = new Dictionary<string, string> { ["tier"] = tier };
            await client.CoreV1.CreateNamespacedConfigMapAsync(configMap, ns);
        }

        var front = await client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "tier=front");
        // "tier," as well: without it kube-root-ca.crt, which has no tier label, matches too (as upstream).
        var notFront = await client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "tier,tier!=front");

        Assert.Equal(["front-1", "front-2"], front.Items.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["back-1"], notFront.Items.Select(c => c.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(front.Metadata.ResourceVersion));
    }

    [SkippableFact]
    public async Task WatchConfigMaps_CreatePatchDelete_ReceivesAddedModifiedDeleted()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = CreateClient();
        var ns = await CreateNamespaceAsync(client);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("before", ("a", "b")), ns);
        using var stop = new CancellationTokenSource(_watchTimeout);
        var events = Channel.CreateUnbounded<(WatchEventType Type, V1ConfigMap Object)>();
        var watching = Task.Run(async () =>
        {
            // The client's typed watch: GET ...?watch=true read as a stream of events (WatchListNamespacedConfigMapAsync).
            await foreach (var item in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, cancellationToken: stop.Token))
            {
                // The root-ca-cert-publisher's ConfigMap is in every namespace, as upstream; this test follows its own.
                if (item.Item2.Metadata.Name != "kube-root-ca.crt")
                {
                    await events.Writer.WriteAsync(item, stop.Token);
                }
            }
        }, stop.Token);

        // A watch without a resourceVersion starts with the current state: seeing "before" means it is established.
        Assert.Equal((WatchEventType.Added, "before"), await NextAsync(events.Reader, stop.Token));
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("watched", ("a", "1")), ns);
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"2"}}""", V1Patch.PatchType.MergePatch), "watched", ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("watched", ns);

        Assert.Equal((WatchEventType.Added, "watched"), await NextAsync(events.Reader, stop.Token));
        Assert.Equal((WatchEventType.Modified, "watched"), await NextAsync(events.Reader, stop.Token));
        Assert.Equal((WatchEventType.Deleted, "watched"), await NextAsync(events.Reader, stop.Token));
        await stop.CancelAsync();
        await Task.WhenAny(watching, Task.Delay(_watchTimeout, CancellationToken.None));
    }

    [SkippableFact]
    public async Task ReplaceConfigMap_WithStaleResourceVersion_Throws409WithUpstreamMessage()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = CreateClient();
        var ns = await CreateNamespaceAsync(client);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x", ("a", "1")), ns);
        var first = await client.CoreV1.ReadNamespacedConfigMapAsync("x", ns);
        var second = await client.CoreV1.ReadNamespacedConfigMapAsync("x", ns);
        first.Data["a"] = "first";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "x", ns);
        second.Data["a"] = "second";

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(second, "x", ns));
        var status = JsonNode.Parse(conflict.Response.Content)!;

        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal("Conflict", status["reason"]?.GetValue<string>());
        // registry/generic/registry/store.go OptimisticLockErrorMsg, inside apierrors.NewConflict's wording.
        Assert.Equal(
            "Operation cannot be fulfilled on configmaps \"x\": the object has been modified; please apply your changes to the latest version and try again",
            status["message"]?.GetValue<string>());
        Assert.Equal("first", (await client.CoreV1.ReadNamespacedConfigMapAsync("x", ns)).Data["a"]);
    }

    private Kubernetes CreateClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(_fixture.Cluster.Host.KubeconfigPath));

    private async Task<string> CreateNamespaceAsync(Kubernetes client)
    {
        var ns = $"client-{Guid.NewGuid().ToString("N")[..8]}";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await _fixture.Cluster.WaitForNamespaceDefaultsAsync(ns);
        return ns;
    }

    private static async Task<(WatchEventType, string)> NextAsync(ChannelReader<(WatchEventType Type, V1ConfigMap Object)> reader, CancellationToken cancellationToken)
    {
        var (type, configMap) = await reader.ReadAsync(cancellationToken);
        return (type, configMap.Metadata.Name);
    }

    private static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = data.ToDictionary(d => d.Key, d => d.Value),
    };

    private static V1Deployment Deployment(string name)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container { Name = "web", Image = "nginx:alpine" },
                            new V1Container { Name = "sidecar", Image = "busybox:1.36" },
                        ],
                    },
                },
            },
        };
    }
}

public sealed class OfficialClientTestsOnSqlite : OfficialClientTests<SqliteClusterFixture>
{
    public OfficialClientTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class OfficialClientTestsOnEtcd : OfficialClientTests<EtcdClusterFixture>
{
    public OfficialClientTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
