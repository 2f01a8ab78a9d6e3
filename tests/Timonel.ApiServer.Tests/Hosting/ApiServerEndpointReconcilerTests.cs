using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.ApiServer.Hosting;

namespace Timonel.ApiServer.Tests.Hosting;

/// <summary>The kubernetes service's endpoints follow the API servers sharing a datastore, as upstream's lease reconciler.</summary>
public sealed class ApiServerEndpointReconcilerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private StoreHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        await _harness.Store("", "namespaces").CreateAsync(null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "kube-system" } }, dryRun: false, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Start_TwoServers_EndpointsAndSliceListBothSorted()
    {
        await using var second = await StartAsync("192.0.2.2");
        await using var first = await StartAsync("192.0.2.1");

        Assert.Equal("192.0.2.1,192.0.2.2", await EndpointsAsync());
        Assert.Equal("192.0.2.1,192.0.2.2", await SliceAsync());
    }

    [Fact]
    public async Task Dispose_OneOfTwo_RemovedAtOnce()
    {
        await using var first = await StartAsync("192.0.2.1");
        var second = await StartAsync("192.0.2.2");

        await second.DisposeAsync();

        Assert.Equal("192.0.2.1", await EndpointsAsync());
        Assert.Equal("192.0.2.1", await SliceAsync());
    }

    [Fact]
    public async Task Reconcile_OtherServerSilentForItsTtl_RemovedAndItsLeaseDeleted()
    {
        await using var survivor = await StartAsync("192.0.2.1");
        // The killed server's clock stands still, so it never renews again, as after kill -9.
        var killed = await StartAsync("192.0.2.2", new FakeTimeProvider(_time.GetUtcNow()));
        var killedLease = killed.LeaseName;

        _time.Advance(ApiServerEndpointReconciler.Ttl - TimeSpan.FromSeconds(1));
        await survivor.ReconcileAsync(CancellationToken.None);
        var beforeExpiry = await EndpointsAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        await survivor.ReconcileAsync(CancellationToken.None);

        Assert.Equal("192.0.2.1,192.0.2.2", beforeExpiry);
        Assert.Equal("192.0.2.1", await EndpointsAsync());
        Assert.Null(await _harness.Store("coordination.k8s.io", "leases").FindRecentAsync("kube-system", killedLease, CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_LastServer_LeavesItsAddressRatherThanNone()
    {
        var only = await StartAsync("192.0.2.1");

        await only.DisposeAsync();

        Assert.Equal("192.0.2.1", await EndpointsAsync());
    }

    [Fact]
    public async Task StartIfRoutable_LoopbackAddress_NoReconciler()
    {
        var reconciler = await ApiServerEndpointReconciler.StartIfRoutableAsync(_harness.Registry, "127.0.0.1", 6443, _time, NullLogger.Instance, CancellationToken.None);

        Assert.Null(reconciler);
    }

    private async Task<ApiServerEndpointReconciler> StartAsync(string address, TimeProvider? time = null) =>
        (await ApiServerEndpointReconciler.StartIfRoutableAsync(_harness.Registry, address, 6443, time ?? _time, NullLogger.Instance, CancellationToken.None))!;

    private async Task<string> EndpointsAsync()
    {
        var endpoints = await _harness.Store("", "endpoints").GetAsync("default", "kubernetes", CancellationToken.None);
        Assert.Equal("[{\"name\":\"https\",\"port\":6443,\"protocol\":\"TCP\"}]", JsonPath.Json(endpoints, "subsets/0/ports"));
        return string.Join(',', (JsonPath.Get(endpoints, "subsets/0/addresses") as JsonArray ?? []).Select(a => a?["ip"]?.GetValue<string>()));
    }

    private async Task<string> SliceAsync()
    {
        var slice = await _harness.Store("discovery.k8s.io", "endpointslices").GetAsync("default", "kubernetes", CancellationToken.None);
        return string.Join(',', (JsonPath.Get(slice, "endpoints") as JsonArray ?? []).Select(e => e?["addresses"]?[0]?.GetValue<string>()));
    }
}
