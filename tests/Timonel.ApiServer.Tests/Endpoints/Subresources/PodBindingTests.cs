using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Endpoints.Subresources;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Endpoints.Subresources;

/// <summary>Binding pods to nodes as upstream's BindingREST does.</summary>
public sealed class PodBindingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly FixedClock _clock = new(_now);
    private StoreHarness _harness = null!;

    private GenericStore Pods => _harness.Store("", "pods");

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        await Pods.CreateAsync("default", Examples.Load("01-pod.yaml", "Pod"), dryRun: false, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Bind_UnboundPod_NodeSetAndScheduledNow()
    {
        await BindAsync(Binding("nginx", "node-a"));
        var pod = await Pods.GetAsync("default", "nginx", CancellationToken.None);

        Assert.Equal("\"node-a\"", JsonPath.Json(pod, "spec/nodeName"));
        Assert.Equal("""{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-03-04T05:06:07Z"}""", JsonPath.Json(pod, "status/conditions/0"));
    }

    [Fact]
    public async Task Bind_WithAnnotations_MergedIntoPod()
    {
        var binding = Binding("nginx", "node-a");
        binding.Metadata()["annotations"] = new JsonObject { ["example.com.decision"] = "fit" };

        await BindAsync(binding);
        var pod = await Pods.GetAsync("default", "nginx", CancellationToken.None);

        Assert.Equal("\"fit\"", JsonPath.Json(pod, "metadata/annotations/example.com.decision"));
    }

    [Fact]
    public async Task Bind_AlreadyBound_ConflictOnPodsBinding()
    {
        await BindAsync(Binding("nginx", "node-a"));

        var conflict = await Assert.ThrowsAsync<StatusException>(() => BindAsync(Binding("nginx", "node-b")));

        Assert.Equal(409, conflict.Code);
        Assert.Equal("pods/binding", conflict.Kind);
        Assert.Equal("Operation cannot be fulfilled on pods/binding \"nginx\": pod nginx is already assigned to node \"node-a\"", conflict.Message);
    }

    [Fact]
    public async Task Bind_PodBeingDeleted_Conflict()
    {
        var pod = Examples.Load("01-pod.yaml", "Pod");
        pod.Metadata()["name"] = "held";
        pod.Metadata()["finalizers"] = new JsonArray("example.com/hold");
        await Pods.CreateAsync("default", pod, dryRun: false, CancellationToken.None);
        await Pods.DeleteAsync("default", "held", new DeleteOptions(), CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<StatusException>(() => BindAsync(Binding("held", "node-a"), "held"));

        Assert.Equal("Operation cannot be fulfilled on pods/binding \"held\": pod held is being deleted, cannot be assigned to a host", conflict.Message);
    }

    [Theory]
    [InlineData("other", "node-a", "Node", 400, "name in URL does not match name in Binding object")]
    [InlineData("nginx", "", "Node", 422, "Binding \"nginx\" is invalid: target.name: Required value")]
    [InlineData("nginx", "node-a", "Pod", 422, "Binding \"nginx\" is invalid: target.kind: Unsupported value: \"Pod\": supported values: \"Node\", \"<empty>\"")]
    public async Task Bind_BadBinding_Refused(string name, string node, string kind, int code, string message)
    {
        var binding = Binding(name, node);
        binding["target"]!["kind"] = kind;

        var refused = await Assert.ThrowsAsync<StatusException>(() => BindAsync(binding));

        Assert.Equal(code, refused.Code);
        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public async Task Bind_StaleUid_ConflictOnPods()
    {
        var binding = Binding("nginx", "node-a");
        binding.Metadata()["uid"] = "0000";

        var conflict = await Assert.ThrowsAsync<StatusException>(() => BindAsync(binding));

        Assert.Equal("pods", conflict.Kind);
        Assert.StartsWith("Operation cannot be fulfilled on pods \"nginx\": Precondition failed: UID in precondition: 0000", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_DryRun_PodUnchanged()
    {
        await PodBinding.BindAsync(Pods, "default", "nginx", Binding("nginx", "node-a"), dryRun: true, _clock, CancellationToken.None);
        var pod = await Pods.GetAsync("default", "nginx", CancellationToken.None);

        Assert.Equal("missing", JsonPath.Json(pod, "spec/nodeName"));
    }

    private Task<JsonObject> BindAsync(JsonObject binding, string pod = "nginx") =>
        PodBinding.BindAsync(Pods, "default", pod, binding, dryRun: false, _clock, CancellationToken.None);

    private static JsonObject Binding(string pod, string node) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Binding",
        ["metadata"] = new JsonObject { ["name"] = pod },
        ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = node },
    };
}
