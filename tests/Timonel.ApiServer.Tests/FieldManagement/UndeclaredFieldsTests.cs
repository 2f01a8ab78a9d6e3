using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.FieldManagement;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.CustomResources;

namespace Timonel.ApiServer.Tests.FieldManagement;

/// <summary>
/// An apply configuration may set only what its type declares (a custom resource's schema here), and one that sets
/// more is refused before anything is stored.
/// </summary>
public sealed class UndeclaredFieldsTests : IAsyncLifetime
{
    private const string Schema = """
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "size":{"type":"integer"},
          "labels":{"type":"object","additionalProperties":{"type":"string"}},
          "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
          "rules":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
            "items":{"type":"object","properties":{"name":{"type":"string"}}}}}}}}
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
    public async Task ApplyAsync_CustomResourceWithinItsSchema_IsStored()
    {
        var applied = await ApplyAsync(Widget("{size: 3, labels: {any: key}, extra: {free: {form: 1}}, rules: [{name: a}]}"));

        Assert.Equal(1L, applied["spec"]!["extra"]!["free"]!["form"]!.GetValue<long>());
    }

    [Fact]
    public async Task ApplyAsync_CustomResourceWithUndeclaredFields_NamesEachByItsPathAndStoresNothing()
    {
        var config = Widget("{sise: 3, rules: [{name: a, port: 80}]}");

        var error = await Assert.ThrowsAsync<StatusException>(() => ApplyAsync(config));

        Assert.Equal(400, error.Code);
        Assert.Equal("failed to create typed patch object (default/w; example.com/v1, Kind=Widget): errors:\n"
            + "  .spec.sise: field not declared in schema\n"
            + "  .spec.rules[name=\"a\"].port: field not declared in schema", error.Message);
        await Assert.ThrowsAsync<StatusException>(() => _widgets.GetAsync("default", "w", CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_UndeclaredMetadataField_IsRefused()
    {
        var config = Widget("{size: 1}");
        config["metadata"]!["lables"] = new JsonObject { ["a"] = "b" };

        var error = await Assert.ThrowsAsync<StatusException>(() => ApplyAsync(config));

        Assert.EndsWith("): .metadata.lables: field not declared in schema", error.Message, StringComparison.Ordinal);
    }

    private Task<JsonObject> ApplyAsync(JsonObject config) =>
        _widgets.ApplyAsync("default", "w", config, new FieldOwner("tester", "example.com/v1"), force: false, _widgets.Definition.Strategy, dryRun: false, CancellationToken.None);

    private static JsonObject Widget(string spec) =>
        Examples.Parse($"{{apiVersion: example.com/v1, kind: Widget, metadata: {{name: w, namespace: default}}, spec: {spec}}}");
}
