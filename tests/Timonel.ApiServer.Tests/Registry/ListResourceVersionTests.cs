using System.Globalization;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry;

/// <summary>Paged lists with a resourceVersion, as upstream's etcd3 store reads them.</summary>
public sealed class ListResourceVersionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;
    private string _firstVersion = "";

    private GenericStore ConfigMaps => _harness.Store("", "configmaps");

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        var created = await ConfigMaps.CreateAsync("default", ConfigMap("v1"), dryRun: false, CancellationToken.None);
        _firstVersion = created["metadata"]!["resourceVersion"]!.GetValue<string>();
        var updated = ConfigMap("v2");
        updated["metadata"]!["resourceVersion"] = _firstVersion;
        await ConfigMaps.UpdateAsync("default", "a", updated, ConfigMaps.Definition.Strategy, dryRun: false, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task PagedList_NotOlderThanAnOldVersion_ReadsTheLatestState()
    {
        var list = await ConfigMaps.ListAsync("default", new ListQuery { Limit = 10, ResourceVersion = _firstVersion, ResourceVersionMatch = "NotOlderThan" }, CancellationToken.None);

        Assert.Equal("v2", list["items"]![0]!["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task PagedList_LegacyResourceVersion_ReadsThatExactVersion()
    {
        var list = await ConfigMaps.ListAsync("default", new ListQuery { Limit = 10, ResourceVersion = _firstVersion }, CancellationToken.None);

        Assert.Equal("v1", list["items"]![0]!["data"]!["k"]!.GetValue<string>());
        Assert.Equal(_firstVersion, list["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(10, "NotOlderThan")]
    [InlineData(0, "Exact")]
    public async Task PagedOrExactList_AVersionNotYetWritten_Answers504TooLarge(long limit, string match)
    {
        var current = await _harness.Storage.CurrentRevisionAsync();
        var future = (current + 100).ToString(CultureInfo.InvariantCulture);

        var error = await Assert.ThrowsAsync<StatusException>(() => ConfigMaps.ListAsync("default", new ListQuery { Limit = limit, ResourceVersion = future, ResourceVersionMatch = match }, CancellationToken.None));

        Assert.Equal((504, "Timeout"), (error.Code, error.Reason));
        Assert.Equal($"Timeout: Too large resource version: {future}, current: {current}", error.Message);
    }

    [Fact]
    public async Task ContinuedList_CompactedRevision_Answers410WithATokenAtTheLatestRevision()
    {
        await ConfigMaps.CreateAsync("default", ConfigMap("v3", "b"), dryRun: false, CancellationToken.None);
        var firstPage = await ConfigMaps.ListAsync("default", new ListQuery { Limit = 1 }, CancellationToken.None);
        var token = firstPage["metadata"]!["continue"]!.GetValue<string>();
        await ConfigMaps.CreateAsync("default", ConfigMap("v4", "c"), dryRun: false, CancellationToken.None);
        await _harness.Storage.CompactAsync(await _harness.Storage.CurrentRevisionAsync());

        var error = await Assert.ThrowsAsync<StatusException>(() => ConfigMaps.ListAsync("default", new ListQuery { Limit = 1, Continue = token }, CancellationToken.None));
        var next = await ConfigMaps.ListAsync("default", new ListQuery { Limit = 5, Continue = error.Continue }, CancellationToken.None);

        Assert.Equal((410, "Expired"), (error.Code, error.Reason));
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Continue, error.ToStatus()["metadata"]!["continue"]!.GetValue<string>());
        Assert.Equal(["b", "c"], next["items"]!.AsArray().Select(item => item!["metadata"]!["name"]!.GetValue<string>()));
    }

    private static JsonObject ConfigMap(string value, string name = "a") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["k"] = value },
    };
}
