using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Tests.Registry.Core;

/// <summary>Deleting a namespace through the store, as upstream's namespace REST Delete does it.</summary>
public sealed class NamespaceDeletionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    private GenericStore Namespaces => _harness.Store("", "namespaces");

    public async Task InitializeAsync() => _harness = await StoreHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Delete_SpecFinalizerPending_TerminatingWithTimestampButNoGracePeriod()
    {
        await CreateAsync("team-a");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var (ns, removed) = await Namespaces.DeleteAsync(null, "team-a", new DeleteOptions(), CancellationToken.None);
        var read = await Namespaces.GetAsync(null, "team-a", CancellationToken.None);

        Assert.False(removed);
        Assert.Equal("Terminating", JsonPath.Get(read, "status/phase")?.GetValue<string>());
        Assert.InRange(DateTimeOffset.Parse(read.DeletionTimestamp()!, System.Globalization.CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow);
        Assert.Equal("missing", JsonPath.Json(read, "metadata/deletionGracePeriodSeconds"));
        Assert.Equal(read.ToJsonString(), ns.ToJsonString());
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task Delete_ImmortalNamespace_ForbiddenAndKept(string name)
    {
        var dryRun = await Assert.ThrowsAsync<StatusException>(() => Namespaces.DeleteAsync(null, name, new DeleteOptions(DryRun: true), CancellationToken.None));
        var refused = await Assert.ThrowsAsync<StatusException>(() => Namespaces.DeleteAsync(null, name, new DeleteOptions(), CancellationToken.None));

        Assert.Equal(403, dryRun.Code);
        Assert.Equal(403, refused.Code);
        Assert.Equal($"namespaces \"{name}\" is forbidden: this namespace may not be deleted", refused.Message);
        if (name == "default")
        {
            var kept = await Namespaces.GetAsync(null, name, CancellationToken.None);
            Assert.Null(kept.DeletionTimestamp());
        }
    }

    [Fact]
    public async Task Update_ImmortalNamespace_IsAllowed()
    {
        // Only deletion is refused: kubectl label ns default ... patches it.
        var labeled = await Namespaces.GuaranteedUpdateAsync(null, "default", ns =>
        {
            ns["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["team"] = "platform" };
            return ns;
        }, Namespaces.Definition.Strategy, dryRun: false, CancellationToken.None);

        Assert.Equal("platform", labeled["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_KubeNodeLease_IsNotImmortal()
    {
        await CreateAsync("kube-node-lease");

        var (ns, removed) = await Namespaces.DeleteAsync(null, "kube-node-lease", new DeleteOptions(), CancellationToken.None);

        Assert.False(removed);
        Assert.NotNull(ns.DeletionTimestamp());
    }

    [Fact]
    public async Task Delete_AgainWhileSpecFinalizerPending_ChangesNothing()
    {
        await CreateAsync("team-a");
        var (first, _) = await Namespaces.DeleteAsync(null, "team-a", new DeleteOptions(), CancellationToken.None);

        var (second, removed) = await Namespaces.DeleteAsync(null, "team-a", new DeleteOptions(GracePeriodSeconds: 0), CancellationToken.None);

        Assert.False(removed);
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
    }

    [Fact]
    public async Task Finalize_ThenStatusUpdate_NamespaceStaysUntilDeletedAgain()
    {
        await CreateAsync("team-a");
        await Namespaces.DeleteAsync(null, "team-a", new DeleteOptions(), CancellationToken.None);

        await UpdateAsync("team-a", ns => ns["spec"] = new JsonObject { ["finalizers"] = new JsonArray() }, new NamespaceFinalizeStrategy(Namespaces.Definition.Strategy));
        await UpdateAsync("team-a", ns => ns["status"]!["conditions"] = new JsonArray(), new StatusStrategy(Namespaces.Definition.Strategy));
        var finalized = await Namespaces.GetAsync(null, "team-a", CancellationToken.None);
        var (_, removed) = await Namespaces.DeleteAsync(null, "team-a", new DeleteOptions(), CancellationToken.None);

        Assert.Equal("[]", JsonPath.Json(finalized, "spec/finalizers"));
        Assert.True(removed);
        var gone = await Assert.ThrowsAsync<StatusException>(() => Namespaces.GetAsync(null, "team-a", CancellationToken.None));
        Assert.Equal(404, gone.Code);
    }

    [Fact]
    public async Task RemoveLastMetadataFinalizer_SpecFinalizerPending_NamespaceStays()
    {
        await CreateAsync("team-a", metadataFinalizer: "example.com/cleanup");
        await Namespaces.DeleteAsync(null, "team-a", new DeleteOptions(), CancellationToken.None);

        await UpdateAsync("team-a", ns => ns["metadata"]!.AsObject().Remove("finalizers"), Namespaces.Definition.Strategy);
        var read = await Namespaces.GetAsync(null, "team-a", CancellationToken.None);

        Assert.Equal("[\"kubernetes\"]", JsonPath.Json(read, "spec/finalizers"));
        Assert.Equal("Terminating", JsonPath.Get(read, "status/phase")?.GetValue<string>());
    }

    [Fact]
    public async Task RemoveLastMetadataFinalizer_OfAConfigMapBeingDeleted_RemovesIt()
    {
        var configMaps = _harness.Store("", "configmaps");
        await configMaps.CreateAsync("default", JsonNode.Parse("""{"metadata":{"name":"held","finalizers":["example.com/cleanup"]}}""")!.AsObject(), dryRun: false, CancellationToken.None);
        var (marked, _) = await configMaps.DeleteAsync("default", "held", new DeleteOptions(), CancellationToken.None);

        await configMaps.GuaranteedUpdateAsync("default", "held", cm =>
        {
            cm["metadata"]!.AsObject().Remove("finalizers");
            return cm;
        }, configMaps.Definition.Strategy, dryRun: false, CancellationToken.None);

        // markAsDeleting: a kind without graceful deletion is marked with a zero grace period.
        Assert.Equal("0", JsonPath.Json(marked, "metadata/deletionGracePeriodSeconds"));
        var gone = await Assert.ThrowsAsync<StatusException>(() => configMaps.GetAsync("default", "held", CancellationToken.None));
        Assert.Equal(404, gone.Code);
    }

    private Task CreateAsync(string name, string? metadataFinalizer = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (metadataFinalizer is not null)
        {
            metadata["finalizers"] = new JsonArray(metadataFinalizer);
        }

        return Namespaces.CreateAsync(null, new JsonObject { ["metadata"] = metadata }, dryRun: false, CancellationToken.None);
    }

    private Task UpdateAsync(string name, Action<JsonObject> change, IResourceStrategy strategy) =>
        Namespaces.GuaranteedUpdateAsync(null, name, ns =>
        {
            change(ns);
            return ns;
        }, strategy, dryRun: false, CancellationToken.None);
}
