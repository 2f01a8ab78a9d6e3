using Timonel.ApiServer.Hosting;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Hosting;

/// <summary>What a fresh cluster holds for the kubernetes service, as upstream's bootstrap controller and reconciler write it.</summary>
public sealed class ClusterBootstrapTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StoreHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Ensure_RoutableAdvertiseAddress_PublishesTheKubernetesEndpointSlice()
    {
        await ClusterBootstrap.EnsureAsync(_harness.Registry, "10.43.0.1", "192.0.2.10", 6443, CancellationToken.None);

        var slice = await _harness.Store("discovery.k8s.io", "endpointslices").GetAsync("default", "kubernetes", CancellationToken.None);

        // kubectl describe service kubernetes finds it by this label and prints "Endpoints: 192.0.2.10:6443".
        Assert.Equal("kubernetes", slice["metadata"]?["labels"]?["kubernetes.io/service-name"]?.GetValue<string>());
        Assert.Equal("IPv4", JsonPath.Get(slice, "addressType")?.GetValue<string>());
        Assert.Equal("[{\"addresses\":[\"192.0.2.10\"],\"conditions\":{\"ready\":true}}]", JsonPath.Json(slice, "endpoints"));
        Assert.Equal("[{\"name\":\"https\",\"port\":6443,\"protocol\":\"TCP\"}]", JsonPath.Json(slice, "ports"));
    }

    [Fact]
    public async Task Ensure_LoopbackAdvertiseAddress_PublishesNoEndpointSlice()
    {
        await ClusterBootstrap.EnsureAsync(_harness.Registry, "10.43.0.1", "127.0.0.1", 6443, CancellationToken.None);

        var list = await _harness.Store("discovery.k8s.io", "endpointslices").ListAsync("default", ListQuery.All, CancellationToken.None);

        Assert.Equal("[]", JsonPath.Json(list, "items"));
    }
}
