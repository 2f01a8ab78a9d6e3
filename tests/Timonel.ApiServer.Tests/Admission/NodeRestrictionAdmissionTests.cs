using System.Text.Json.Nodes;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Auth.Node;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Admission;

public sealed class NodeRestrictionAdmissionTests : IAsyncLifetime
{
    private static readonly UserInfo _n1 = UserInfo.Authenticated("system:node:n1", [NodeIdentity.NodesGroup]);
    private StoreHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        _harness.Registry.Admission = new AdmissionChain([new NodeRestrictionAdmission(new AdmissionServices(_harness.Registry, new SystemMastersAuthorizer(), TimeProvider.System))]);
        await Store("", "namespaces").CreateAsync(null, Named("kube-node-lease"), dryRun: false, CancellationToken.None);
        await Store("", "pods").CreateAsync("default", Pod("mine", "n1"), dryRun: false, CancellationToken.None);
        await Store("", "pods").CreateAsync("default", Pod("theirs", "n2"), dryRun: false, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task UpdatePodStatus_PodBoundToTheNode_Admitted()
    {
        var updated = await AsNodeAsync(() => UpdatePodStatusAsync("mine"));

        Assert.Equal("Running", updated["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdatePodStatus_PodOnAnotherNode_ForbiddenAsUpstream()
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => AsNodeAsync(() => UpdatePodStatusAsync("theirs")));

        Assert.Equal(403, error.Code);
        Assert.Equal("pods \"theirs\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set to itself", error.Message);
    }

    [Fact]
    public async Task DeletePod_OnAnotherNode_Forbidden()
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => AsNodeAsync(() => Store("", "pods").DeleteAsync("default", "theirs", new DeleteOptions(), CancellationToken.None)));

        Assert.Equal("pods \"theirs\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to itself", error.Message);
    }

    [Fact]
    public async Task CreatePod_NotAMirrorPod_Forbidden()
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => AsNodeAsync(() => Store("", "pods").CreateAsync("default", Pod("new", "n1"), dryRun: false, CancellationToken.None)));

        Assert.Equal("pods \"new\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"n1\" can only create mirror pods", error.Message);
    }

    [Fact]
    public async Task CreateNode_AnotherName_Forbidden()
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => AsNodeAsync(() => Store("", "nodes").CreateAsync(null, Named("n2"), dryRun: false, CancellationToken.None)));

        Assert.Equal("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"", error.Message);
    }

    [Fact]
    public async Task CreateNode_RestrictedLabels_ForbiddenListingThemSorted()
    {
        var node = Named("n1", new() { ["node-restriction.kubernetes.io/pool"] = "a", ["kubernetes.io/role"] = "x", ["kubernetes.io/hostname"] = "n1", ["team"] = "a" });

        var error = await Assert.ThrowsAsync<StatusException>(() => AsNodeAsync(() => Store("", "nodes").CreateAsync(null, node, dryRun: false, CancellationToken.None)));

        Assert.Equal("nodes \"n1\" is forbidden: node \"n1\" is not allowed to set the following labels: kubernetes.io/role, node-restriction.kubernetes.io/pool", error.Message);
    }

    [Fact]
    public async Task CreateNode_OwnNameAndKubeletLabels_Admitted()
    {
        var node = Named("n1", new() { ["kubernetes.io/hostname"] = "n1", ["node.kubernetes.io/instance-type"] = "small", ["team"] = "a" });

        var created = await AsNodeAsync(() => Store("", "nodes").CreateAsync(null, node, dryRun: false, CancellationToken.None));

        Assert.Equal("n1", created.Name());
    }

    [Fact]
    public async Task UpdateNode_ChangesTaints_Forbidden()
    {
        var nodes = Store("", "nodes");
        var node = await nodes.CreateAsync(null, Named("n1"), dryRun: false, CancellationToken.None);
        node["spec"] = new JsonObject { ["taints"] = new JsonArray(new JsonObject { ["key"] = "k", ["effect"] = "NoSchedule" }) };

        var error = await Assert.ThrowsAsync<StatusException>(() => AsNodeAsync(() => nodes.UpdateAsync(null, "n1", node, nodes.Definition.Strategy, dryRun: false, CancellationToken.None)));

        Assert.Equal("nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints", error.Message);
    }

    [Fact]
    public async Task CreateLease_AnotherNodesName_Forbidden()
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => AsNodeAsync(() => Store("coordination.k8s.io", "leases").CreateAsync("kube-node-lease", Named("n2"), dryRun: false, CancellationToken.None)));

        Assert.Equal("leases.coordination.k8s.io \"n2\" is forbidden: can only access node lease with the same name as the requesting node", error.Message);
    }

    [Fact]
    public async Task CreateLease_OwnName_Admitted()
    {
        var lease = await AsNodeAsync(() => Store("coordination.k8s.io", "leases").CreateAsync("kube-node-lease", Named("n1"), dryRun: false, CancellationToken.None));

        Assert.Equal("n1", lease.Name());
    }

    [Fact]
    public async Task UpdatePodStatus_NotANode_Untouched()
    {
        var updated = await UpdatePodStatusAsync("theirs");

        Assert.Equal("Running", updated["status"]!["phase"]!.GetValue<string>());
    }

    private GenericStore Store(string group, string plural) => _harness.Store(group, plural);

    private static async Task<T> AsNodeAsync<T>(Func<Task<T>> action)
    {
        using (RequestUser.Begin(_n1))
        {
            return await action();
        }
    }

    private async Task<JsonObject> UpdatePodStatusAsync(string name)
    {
        var pods = Store("", "pods");
        var pod = await pods.GetAsync("default", name, CancellationToken.None);
        pod["status"] = new JsonObject { ["phase"] = "Running" };
        return await pods.UpdateAsync("default", name, pod, new StatusStrategy(pods.Definition.Strategy), dryRun: false, CancellationToken.None);
    }

    private static JsonObject Named(string name, Dictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return new JsonObject { ["metadata"] = metadata };
    }

    private static JsonObject Pod(string name, string node) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx" }) },
    };
}
