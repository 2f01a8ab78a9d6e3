using k8s.Models;
using Timonel.Agent.Kubelet.Containers.Environment;

namespace Timonel.Agent.Tests.Kubelet.Containers;

public class ServiceEnvironmentTests
{
    [Fact]
    public void From_NamedPorts_HostPortAndDockerLinkVariables()
    {
        var service = Service("my-svc", "10.43.0.11", new V1ServicePort { Name = "http", Port = 80 }, new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" });

        var env = ServiceEnvironment.From([service]).ToList();

        Assert.Equal(
            [
                new("MY_SVC_SERVICE_HOST", "10.43.0.11"),
                new("MY_SVC_SERVICE_PORT", "80"),
                new("MY_SVC_SERVICE_PORT_HTTP", "80"),
                new("MY_SVC_SERVICE_PORT_DNS", "53"),
                new("MY_SVC_PORT", "tcp://10.43.0.11:80"),
                new("MY_SVC_PORT_80_TCP", "tcp://10.43.0.11:80"),
                new("MY_SVC_PORT_80_TCP_PROTO", "tcp"),
                new("MY_SVC_PORT_80_TCP_PORT", "80"),
                new("MY_SVC_PORT_80_TCP_ADDR", "10.43.0.11"),
                new("MY_SVC_PORT_53_UDP", "udp://10.43.0.11:53"),
                new("MY_SVC_PORT_53_UDP_PROTO", "udp"),
                new("MY_SVC_PORT_53_UDP_PORT", "53"),
                new("MY_SVC_PORT_53_UDP_ADDR", "10.43.0.11"),
            ],
            env);
    }

    [Fact]
    public void From_UnnamedPort_NoNamedVariable()
    {
        var env = ServiceEnvironment.From([Service("db", "10.43.0.12", new V1ServicePort { Port = 5432 })]).Select(pair => pair.Key).ToList();

        Assert.DoesNotContain(env, name => name.StartsWith("DB_SERVICE_PORT_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("None")]
    [InlineData("")]
    public void From_NoClusterIP_NotLinked(string clusterIP) =>
        Assert.Empty(ServiceEnvironment.From([Service("headless", clusterIP, new V1ServicePort { Port = 80 })]));

    [Fact]
    public void From_IPv6ClusterIP_BracketedInUrls()
    {
        var env = ServiceEnvironment.From([Service("v6", "fd00::10", new V1ServicePort { Port = 80 })]).ToDictionary();

        Assert.Equal("tcp://[fd00::10]:80", env["V6_PORT"]);
    }

    private static V1Service Service(string name, string clusterIP, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Spec = new V1ServiceSpec { ClusterIP = clusterIP, Ports = ports },
    };
}
