using k8s.Models;
using Timonel.Controllers.Ingress;

namespace Timonel.Controllers.Tests.Ingress;

public sealed class IngressBackendsTests
{
    private static readonly V1Service _service = new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "web" }] },
    };

    private static readonly V1EndpointSlice _slice = new()
    {
        Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "default" },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080 }],
        Endpoints =
        [
            new V1Endpoint { Addresses = ["10.42.0.5"], Conditions = new V1EndpointConditions { Ready = true } },
            new V1Endpoint { Addresses = ["10.42.0.6"], Conditions = new V1EndpointConditions { Ready = false } },
            new V1Endpoint { Addresses = ["10.42.0.7"] },
        ],
    };

    [Fact]
    public void Resolve_ByPortNameOrNumber_ReadyEndpointsAtTheirPodPort()
    {
        Assert.Equal(["http://10.42.0.5:8080", "http://10.42.0.7:8080"], IngressBackends.Resolve(new("default", "web", 80, null), _service, [_slice]).Destinations);
        Assert.Equal(["http://10.42.0.5:8080", "http://10.42.0.7:8080"], IngressBackends.Resolve(new("default", "web", null, "http"), _service, [_slice]).Destinations);
    }

    [Fact]
    public void Resolve_MissingServiceOrPort_NoDestinationsAndWhy()
    {
        var (none, problem) = IngressBackends.Resolve(new("default", "web", null, null), null, []);
        Assert.Empty(none);
        Assert.Equal("service \"default/web\" not found", problem);
        Assert.Equal("service \"default/web\" does not have port 81", IngressBackends.Resolve(new("default", "web", 81, null), _service, [_slice]).Problem);
    }
}
