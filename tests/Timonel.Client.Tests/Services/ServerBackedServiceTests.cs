using System.Net;
using k8s.Models;
using Timonel.Client.Services;

namespace Timonel.Client.Tests.Services;

public sealed class ServerBackedServiceTests
{
    private static readonly ServerBackedService _service = new(
        new V1Service { Metadata = new V1ObjectMeta { Name = "front", NamespaceProperty = "kube-system", Labels = new Dictionary<string, string> { ["app"] = "front" } } },
        [new ServerEndpointPort("http", 8080), new ServerEndpointPort("dns", 53, "UDP")]);

    [Fact]
    public void EndpointSlice_ListsTheServersReady_WithThePortsByName_LabelledForTheService()
    {
        var slice = _service.EndpointSlice([IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2")]);

        Assert.Equal("front", slice.Metadata.Name);
        Assert.Equal("front", slice.Metadata.Labels[ServerBackedService.ServiceNameLabel]);
        Assert.Equal("front", slice.Metadata.Labels["app"]);
        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], slice.Endpoints.Select(e => e.Addresses.Single()));
        Assert.All(slice.Endpoints, e => Assert.True(e.Conditions.Ready));
        Assert.Equal(["http/TCP/8080", "dns/UDP/53"], slice.Ports.Select(p => $"{p.Name}/{p.Protocol}/{p.Port}"));
    }

    [Fact]
    public void Endpoints_NoSubsetWithoutServers_AndSkipMirror()
    {
        var none = _service.Endpoints([]);
        var one = _service.Endpoints([IPAddress.Parse("2001:db8::1")]);

        Assert.Null(none.Subsets);
        Assert.Equal("true", none.Metadata.Labels["endpointslice.kubernetes.io/skip-mirror"]);
        Assert.Equal("2001:db8::1", one.Subsets.Single().Addresses.Single().Ip);
        Assert.Equal(["http", "dns"], one.Subsets.Single().Ports.Select(p => p.Name));
        Assert.Equal("IPv6", _service.EndpointSlice([IPAddress.Parse("2001:db8::1")]).AddressType);
    }

    [Fact]
    public void Labels_OfTheServiceObjectAreNotChanged()
    {
        _ = _service.Endpoints([]);
        _ = _service.EndpointSlice([]);

        Assert.Equal(["app"], _service.Service.Metadata.Labels.Keys);
    }
}
