using System.Text.Json.Nodes;
using Timonel.ApiServer.FieldManagement;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.CustomResources;

namespace Timonel.ApiServer.Tests.FieldManagement;

/// <summary>Server-side apply of custom resources follows the list and map types their CRD's schema declares.</summary>
public sealed class CustomResourceApplyTests : IAsyncLifetime
{
    private const string Schema = """
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
          "args":{"type":"array","items":{"type":"string"}},
          "selector":{"type":"object","x-kubernetes-map-type":"atomic","additionalProperties":{"type":"string"}},
          "rules":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name","port"],
            "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer","default":80},"to":{"type":"string"}}}}}}}}
        """;

    private StoreHarness _harness = null!;
    private GenericStore _widgets = null!;

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        _widgets = WidgetStore.Register(_harness, Schema);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ApplyAsync_TwoManagersOnKeyedListAndSet_EachKeepsItsItems()
    {
        await ApplyAsync("{tags: [a], args: [x], rules: [{name: web, to: one}]}", "first");

        var both = await ApplyAsync("{tags: [b], rules: [{name: web, port: 81, to: two}]}", "second");

        Assert.Equal("[\"a\",\"b\"]", both["spec"]!["tags"]!.ToJsonString());
        // Keyed by name and port, the port defaulting to 80: two rules, not one.
        Assert.Equal(2, both["spec"]!["rules"]!.AsArray().Count);
        var second = Assert.Single(both["metadata"]!["managedFields"]!.AsArray(), e => (string)e!["manager"]! == "second")!;
        Assert.NotNull(second["fieldsV1"]!["f:spec"]!["f:rules"]!["k:{\"name\":\"web\",\"port\":81}"]);
    }

    [Fact]
    public async Task ApplyAsync_AtomicListAndMap_AreOwnedAndReplacedWhole()
    {
        await ApplyAsync("{args: [x, y], selector: {app: web}}", "first");

        var conflict = await Assert.ThrowsAsync<Timonel.ApiServer.Endpoints.StatusException>(() => ApplyAsync("{args: [z], selector: {tier: db}}", "second"));

        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"first\":\n- .spec.args\n- .spec.selector", conflict.Message);
    }

    private Task<JsonObject> ApplyAsync(string spec, string manager)
    {
        var config = Examples.Parse($"{{apiVersion: example.com/v1, kind: Widget, metadata: {{name: w}}, spec: {spec}}}");
        return _widgets.ApplyAsync("default", "w", config, new FieldOwner(manager, "example.com/v1"), force: false, _widgets.Definition.Strategy, dryRun: false, CancellationToken.None);
    }
}
