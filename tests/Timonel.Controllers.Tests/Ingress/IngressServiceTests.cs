using k8s.Models;
using Timonel.Controllers.Ingress;

namespace Timonel.Controllers.Tests.Ingress;

public sealed class IngressServiceTests
{
    [Fact]
    public void Definition_ALoadBalancerWithoutSelector_OnTheControllersPorts()
    {
        var definition = IngressService.Definition(8080, 8443);

        Assert.Equal(("kube-system", "timonel-ingress"), (definition.Namespace, definition.Name));
        Assert.Equal("LoadBalancer", definition.Service.Spec.Type);
        Assert.Null(definition.Service.Spec.Selector);
        Assert.Equal(["http:8080", "https:8443"], definition.Service.Spec.Ports.Select(p => $"{p.Name}:{p.Port}"));
        Assert.Equal(["http:8080", "https:8443"], definition.Ports.Select(p => $"{p.Name}:{p.Port}"));
    }

    [Fact]
    public void Addresses_IpsAndHostNames_NoneWhilePending()
    {
        var service = new V1Service
        {
            Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.0.2.7" }, new V1LoadBalancerIngress { Hostname = "lb.example.com" }] } },
        };

        Assert.Equal(["192.0.2.7", "lb.example.com"], IngressService.Addresses(service));
        Assert.Empty(IngressService.Addresses(new V1Service()));
        Assert.Empty(IngressService.Addresses(null));
    }
}
