using k8s.Models;
using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

public sealed class SliceEndpointsTests
{
    [Fact]
    public void For_EndpointsOfTheMatchingPort_SortedWithTheirConditions()
    {
        var slice = ProxyObjects.Slice("web", 8080, ("10.42.0.7", true), ("10.42.0.5", false));

        var endpoints = SliceEndpoints.For(ProxyObjects.Port(), [slice], "node-1");

        Assert.Equal(["10.42.0.5:8080", "10.42.0.7:8080"], endpoints.Select(e => e.ToString()));
        Assert.False(endpoints[0].Ready);
        Assert.True(endpoints[1].Ready);
        Assert.True(endpoints[1].IsLocal);
    }

    [Fact]
    public void For_OtherPortNameOrIpv6Slice_NoEndpoints()
    {
        var named = ProxyObjects.Slice("web", 8080, ("10.42.0.7", true));
        named.Ports[0].Name = "metrics";
        var ipv6 = ProxyObjects.Slice("web", 8080, ("fd00::7", true));
        ipv6.AddressType = "IPv6";

        Assert.Empty(SliceEndpoints.For(ProxyObjects.Port(), [named, ipv6], "node-1"));
    }

    [Fact]
    public void For_UnsetConditions_Ready()
    {
        var slice = ProxyObjects.Slice("web", 8080, ("10.42.0.7", true));
        slice.Endpoints[0].Conditions = null;

        Assert.True(Assert.Single(SliceEndpoints.For(ProxyObjects.Port(), [slice], "node-2")).Ready);
    }

    [Fact]
    public void For_AddressInTwoSlices_CountedOnceAsReady()
    {
        var old = ProxyObjects.Slice("web", 8080, ("10.42.0.7", false));
        var current = ProxyObjects.Slice("web", 8080, ("10.42.0.7", true));

        var endpoint = Assert.Single(SliceEndpoints.For(ProxyObjects.Port(), [old, current], "node-1"));

        Assert.True(endpoint.Ready);
    }

    [Fact]
    public void ServiceOf_TheServiceNameLabel()
    {
        Assert.Equal("web", SliceEndpoints.ServiceOf(ProxyObjects.Slice("web", 80)));
        Assert.Null(SliceEndpoints.ServiceOf(new V1EndpointSlice { Metadata = new V1ObjectMeta { Name = "x" } }));
    }
}
