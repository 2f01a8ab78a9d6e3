using k8s.Models;
using Timonel.Controllers.Cloud.Local;
using Timonel.Controllers.Cloud.Service;
using static Timonel.Controllers.Tests.Cloud.CloudTestObjects;

namespace Timonel.Controllers.Tests.Cloud.Local;

public sealed class LocalLoadBalancerTests
{
    [Fact]
    public async Task Ensure_WithoutPool_GivesTheReadyNodesExternalOrElseInternalAddresses()
    {
        var balancer = new LocalLoadBalancer(pool: null);
        V1Node[] nodes = [NodeObject("a", internalIp: "10.0.0.1"), NodeObject("b", internalIp: "10.0.0.2", externalIp: "203.0.113.2"), NodeObject("c", ready: false, internalIp: "10.0.0.3")];

        var status = await balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject(), nodes, CancellationToken.None);

        Assert.Equal(["10.0.0.1", "203.0.113.2"], Addresses(status));
        Assert.Equal(["10.0.0.1", "203.0.113.2"], Addresses((await balancer.GetLoadBalancerAsync("kubernetes", ServiceObject(), CancellationToken.None))!));
    }

    [Fact]
    public async Task Update_WithoutPool_FollowsTheNodes()
    {
        var balancer = new LocalLoadBalancer(pool: null);
        await balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject(), [NodeObject("a")], CancellationToken.None);

        await balancer.UpdateLoadBalancerAsync("kubernetes", ServiceObject(), [NodeObject("a"), NodeObject("b", internalIp: "10.0.0.2")], CancellationToken.None);

        Assert.Equal(["10.0.0.1", "10.0.0.2"], Addresses((await balancer.GetLoadBalancerAsync("kubernetes", ServiceObject(), CancellationToken.None))!));
    }

    [Fact]
    public async Task Ensure_WithPool_GivesEachServiceItsOwnAddressAndDeletionFreesIt()
    {
        var balancer = new LocalLoadBalancer(AddressPool.Parse("192.0.2.10-192.0.2.11"));

        var a = Addresses(await balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject("a"), [], CancellationToken.None));
        var b = Addresses(await balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject("b"), [], CancellationToken.None));
        var full = await Assert.ThrowsAsync<InvalidOperationException>(() => balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject("c"), [], CancellationToken.None));
        await balancer.EnsureLoadBalancerDeletedAsync("kubernetes", ServiceObject("a"), CancellationToken.None);
        var c = Addresses(await balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject("c"), [], CancellationToken.None));

        Assert.Equal(("192.0.2.10", "192.0.2.11", "192.0.2.10"), (a.Single(), b.Single(), c.Single()));
        Assert.Equal("no free address left in the pool 192.0.2.10-192.0.2.11", full.Message);
        Assert.Null(await balancer.GetLoadBalancerAsync("kubernetes", ServiceObject("a"), CancellationToken.None));
    }

    [Fact]
    public async Task Restore_AddressesShownBeforeARestart_AreKeptAndNotGivenToOthers()
    {
        var balancer = new LocalLoadBalancer(AddressPool.Parse("192.0.2.10-192.0.2.12"));
        balancer.Restore([ServiceObject("b", finalizers: [LoadBalancerServices.CleanupFinalizer], ingressIp: "192.0.2.10"), ServiceObject("other", loadBalancerClass: "example.com/x", ingressIp: "192.0.2.11")]);

        var fresh = Addresses(await balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject("a"), [], CancellationToken.None));
        var kept = Addresses(await balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject("b"), [], CancellationToken.None));

        Assert.Equal(("192.0.2.11", "192.0.2.10"), (fresh.Single(), kept.Single()));
    }

    [Fact]
    public async Task Ensure_RequestedLoadBalancerIp_IsGivenWhenFreeInThePoolAndRefusedOtherwise()
    {
        var balancer = new LocalLoadBalancer(AddressPool.Parse("192.0.2.10-192.0.2.12"));

        var wanted = Addresses(await balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject("a", loadBalancerIp: "192.0.2.12"), [], CancellationToken.None));
        var outside = await Assert.ThrowsAsync<InvalidOperationException>(() => balancer.EnsureLoadBalancerAsync("kubernetes", ServiceObject("b", loadBalancerIp: "198.51.100.1"), [], CancellationToken.None));

        Assert.Equal(["192.0.2.12"], wanted);
        Assert.Equal("requested loadBalancerIP 198.51.100.1 is not a free address of the pool 192.0.2.10-192.0.2.12", outside.Message);
    }

    private static List<string> Addresses(V1LoadBalancerStatus status) => [.. (status.Ingress ?? []).Select(i => i.Ip)];
}
