using System.Globalization;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Watch;

public sealed class WatchCacheTests
{
    [Fact]
    public async Task ConsistentList_AfterAWriteOutsideTheRegistry_IsServedAtThatRevision()
    {
        // Another program sharing the datastore moves its revision with keys the cache never sees; a consistent
        // read must learn from the store that nothing of its own changed, not wait for an event that never comes.
        await using var harness = await StoreHarness.StartAsync();
        var configMaps = harness.Store("", "configmaps");
        await configMaps.CreateAsync("default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "before" } }, dryRun: false, CancellationToken.None);
        var foreign = await harness.Storage.CreateAsync("/not-kubernetes/x", "{}"u8.ToArray());

        var list = await configMaps.ListAsync("default", new ListQuery { ResourceVersion = "" }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["before"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(foreign.Revision.ToString(CultureInfo.InvariantCulture), list["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListNotOlderThan_AResourceVersionNeverWritten_Answers504TooLarge()
    {
        await using var harness = await StoreHarness.StartAsync();
        var current = await harness.Storage.CurrentRevisionAsync();
        var future = current + 1000;

        var error = await Assert.ThrowsAsync<StatusException>(() => harness.Store("", "configmaps").ListAsync("default", new ListQuery { ResourceVersion = future.ToString(CultureInfo.InvariantCulture) }, CancellationToken.None));

        Assert.Equal((504, "Timeout"), (error.Code, error.Reason));
        Assert.Equal($"Timeout: Too large resource version: {future}, current: {current}", error.Message);
        Assert.Equal(1, error.RetryAfterSeconds);
    }

    [Fact]
    public async Task ConsistentReads_OnAStoreWithoutProgressMarks_AfterAWriteOutsideTheRegistry_ReadTheStore()
    {
        // etcd before 3.4.31/3.5.13 cannot mark progress safely; a read the cache cannot serve goes to the store,
        // as kube-apiserver falls back to etcd, instead of waiting three seconds for a 504.
        await using var harness = await StoreHarness.StartAsync(new NoProgressStorage());
        var configMaps = harness.Store("", "configmaps");
        await configMaps.CreateAsync("default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "before" } }, dryRun: false, CancellationToken.None);
        var foreign = await harness.Storage.CreateAsync("/not-kubernetes/x", "{}"u8.ToArray());

        var list = await configMaps.ListAsync("default", new ListQuery { ResourceVersion = "" }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        var got = await configMaps.GetAsync("default", "before", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(["before"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(foreign.Revision.ToString(CultureInfo.InvariantCulture), list["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("before", got["metadata"]!["name"]!.GetValue<string>());
    }
}
