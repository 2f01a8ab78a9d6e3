using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.IntegrationTests;

/// <summary>
/// Placing and evicting pods through the official client and kubectl: pods/binding and the bindings collection (a
/// pod is bound once, shows its node in kubectl get -o wide and is marked scheduled; a second binding is a conflict),
/// and pods/eviction without disruption budgets (the kind is not served yet): the pod is deleted with the eviction's
/// options, gracefully by default, and kubectl drain evicts a node's pods through it.
/// </summary>
public sealed class PodBindingEvictionTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public PodBindingEvictionTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableFact]
    public async Task CreateNamespacedPodBinding_UnboundPod_NodeShownAndPodScheduled()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Cluster.Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("01-pod.yaml"))).EnsureSuccess();
        using var client = CreateClient();

        await client.CoreV1.CreateNamespacedPodBindingAsync(Binding("nginx", "node-a"), "nginx", ns);
        var wide = await Cluster.Kubectl.RunAsync("get", "pod", "nginx", "-n", ns, "-o", "wide", "--no-headers");
        var scheduled = await Cluster.Kubectl.RunAsync("get", "pod", "nginx", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].status}");

        Assert.Equal("node-a", wide.EnsureSuccess().Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)[6]);
        Assert.Equal("True", scheduled.EnsureSuccess().Stdout);
    }

    [SkippableFact]
    public async Task CreateNamespacedPodBinding_AlreadyBound_ConflictNamesTheNode()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        using var client = CreateClient();
        await CreateBoundPodAsync(client, ns, "nginx", "node-a");

        var second = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodBindingAsync(Binding("nginx", "node-b"), "nginx", ns));
        var node = await Cluster.Kubectl.RunAsync("get", "pod", "nginx", "-n", ns, "-o", "jsonpath={.spec.nodeName}");

        Assert.Equal(HttpStatusCode.Conflict, second.Response.StatusCode);
        Assert.Equal("Operation cannot be fulfilled on pods/binding \"nginx\": pod nginx is already assigned to node \"node-a\"", (string?)JsonNode.Parse(second.Response.Content)?["message"]);
        Assert.Equal("node-a", node.EnsureSuccess().Stdout);
    }

    [SkippableFact]
    public async Task PostBindings_PodNamedInMetadata_CreatedWithSuccessStatus()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Cluster.Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("01-pod.yaml"))).EnsureSuccess();
        using var http = Cluster.CreateAdminHttpClient();

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/bindings", ApiHttp.Json("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"nginx"},"target":{"kind":"Node","name":"node-c"}}"""));
        var body = await ApiHttp.ReadObjectAsync(response);
        var node = await Cluster.Kubectl.RunAsync("get", "pod", "nginx", "-n", ns, "-o", "jsonpath={.spec.nodeName}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Success", (string?)body?["status"]);
        Assert.Equal("node-c", node.EnsureSuccess().Stdout);
    }

    [SkippableFact]
    public async Task CreateNamespacedPodEviction_BoundPodNoBudget_DeletedGracefully()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        using var client = CreateClient();
        await CreateBoundPodAsync(client, ns, "nginx", "evict-node");

        await client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = "nginx", NamespaceProperty = ns } }, "nginx", ns);
        var pod = await client.CoreV1.ReadNamespacedPodAsync("nginx", ns);

        // No kubelet confirms the termination: the pod stays, marked for deletion in the pod's grace period.
        Assert.NotNull(pod.Metadata.DeletionTimestamp);
        Assert.Equal(30, pod.Metadata.DeletionGracePeriodSeconds);
    }

    [SkippableFact]
    public async Task CreateNamespacedPodEviction_NameDiffersFromUrl_BadRequest()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        using var client = CreateClient();
        await CreateBoundPodAsync(client, ns, "nginx", "evict-node");

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = "other" } }, "nginx", ns));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Response.StatusCode);
        Assert.Equal("name in URL does not match name in Eviction object", (string?)JsonNode.Parse(refused.Response.Content)?["message"]);
    }

    [SkippableFact]
    public async Task Drain_NodeWithPod_EvictsItAndCordons()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        var node = $"drain-{Guid.NewGuid().ToString("N")[..6]}";
        using var client = CreateClient();
        await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = node } });
        await CreateBoundPodAsync(client, ns, "nginx", node);

        var drain = await Cluster.Kubectl.RunAsync("drain", node, "--force", "--grace-period=0", "--timeout=60s");
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns);
        var drained = await client.CoreV1.ReadNodeAsync(node);

        Assert.True(drain.ExitCode == 0, drain.ToString());
        Assert.Contains($"evicting pod {ns}/nginx", drain.Stderr + drain.Stdout, StringComparison.Ordinal);
        Assert.Empty(pods.Items);
        Assert.True(drained.Spec.Unschedulable);
    }

    private async Task CreateBoundPodAsync(Kubernetes client, string ns, string name, string node)
    {
        (await Cluster.Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("01-pod.yaml"))).EnsureSuccess();
        await client.CoreV1.CreateNamespacedPodBindingAsync(Binding(name, node), name, ns);
    }

    private static V1Binding Binding(string pod, string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = pod },
        Target = new V1ObjectReference { Kind = "Node", Name = node },
    };

    private Kubernetes CreateClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.Host.KubeconfigPath));
}
