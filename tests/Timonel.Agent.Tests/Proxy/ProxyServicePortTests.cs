using k8s.Models;
using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

public sealed class ProxyServicePortTests
{
    [Fact]
    public void Of_ClusterIpService_OnePortPerServicePortWithItsAddress()
    {
        var service = ProxyObjects.Service("web", "10.43.0.20", port: 8080);

        var port = Assert.Single(ProxyServicePort.Of(service));

        Assert.Equal("10.43.0.20", port.ClusterIp);
        Assert.Equal(8080, port.Port);
        Assert.Equal("tcp", port.Protocol);
        Assert.Equal("default/web:", port.Key);
        Assert.Null(port.AffinityTimeoutSeconds);
        Assert.False(port.ExternallyAccessible);
    }

    [Fact]
    public void Of_HeadlessExternalNameOrOtherProxysServices_Nothing()
    {
        var headless = ProxyObjects.Service("db", "None");
        var external = ProxyObjects.Service("ext", "", type: "ExternalName");
        var other = ProxyObjects.Service("mine", "10.43.0.21");
        other.Metadata.Labels = new Dictionary<string, string> { [ProxyLabels.ServiceProxyName] = "someone-else" };

        Assert.Empty(ProxyServicePort.Of(headless));
        Assert.Empty(ProxyServicePort.Of(external));
        Assert.Empty(ProxyServicePort.Of(other));
    }

    [Fact]
    public void Of_ClientIpAffinityWithoutTimeout_UpstreamsThreeHours()
    {
        var service = ProxyObjects.Service("web", "10.43.0.20");
        service.Spec.SessionAffinity = "ClientIP";

        Assert.Equal(10800, Assert.Single(ProxyServicePort.Of(service)).AffinityTimeoutSeconds);
    }

    [Fact]
    public void Of_LoadBalancer_IngressIpsOfVipModeCaptureTrafficAndLocalPolicyApplies()
    {
        var service = ProxyObjects.Service("lb", "10.43.0.22", type: "LoadBalancer", nodePort: 31000);
        service.Spec.ExternalTrafficPolicy = "Local";
        service.Status = new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.0.2.10" }, new V1LoadBalancerIngress { Ip = "192.0.2.11", IpMode = "Proxy" }] },
        };

        var port = Assert.Single(ProxyServicePort.Of(service));

        Assert.Equal(["192.0.2.10"], port.LoadBalancerIps);
        Assert.True(port.ExternalPolicyLocal);
        Assert.True(port.UsesClusterEndpoints);
        Assert.True(port.UsesLocalEndpoints);
    }

    [Fact]
    public void Of_LocalExternalPolicyOnAClusterIpService_IgnoredAsItHasNoExternalAddress()
    {
        var service = ProxyObjects.Service("web", "10.43.0.20");
        service.Spec.ExternalTrafficPolicy = "Local";

        Assert.False(Assert.Single(ProxyServicePort.Of(service)).ExternalPolicyLocal);
    }
}
