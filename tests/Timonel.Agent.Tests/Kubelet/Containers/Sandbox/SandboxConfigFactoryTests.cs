using k8s.Models;
using Timonel.Agent.Kubelet;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Containers.Sandbox;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Tests.Kubelet.Containers.Sandbox;

public class SandboxConfigFactoryTests
{
    private readonly SandboxConfigFactory _factory = new(new SandboxConfigOptions { PodLogsRoot = "/var/log/pods", ResolvConf = "/nonexistent/resolv.conf" });

    [Fact]
    public void Create_Pod_MetadataLabelsHostnameLogDirectory()
    {
        var config = _factory.Create(ConfigTestPods.Pod(), 1);

        Assert.Equal(new PodSandboxMetadata { Name = "web", Namespace = "shop", Uid = "1f0c2b8e-uid", Attempt = 1 }, config.Metadata);
        Assert.Equal("web", config.Hostname);
        Assert.Equal("/var/log/pods/shop_web_1f0c2b8e-uid", config.LogDirectory);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["app"] = "web",
                [KubeletLabels.PodName] = "web",
                [KubeletLabels.PodNamespace] = "shop",
                [KubeletLabels.PodUid] = "1f0c2b8e-uid",
            },
            config.Labels);
        Assert.Equal("blue", config.Annotations["team"]);
    }

    [Fact]
    public void Create_HostNetwork_NoHostnameNodeNamespaces()
    {
        var pod = ConfigTestPods.Pod();
        pod.Spec.HostNetwork = true;

        var config = _factory.Create(pod, 0);

        Assert.Equal("", config.Hostname);
        Assert.Equal(NamespaceMode.Node, config.Linux.SecurityContext.NamespaceOptions.Network);
    }

    [Fact]
    public void Create_SetHostnameAsFQDN_FqdnOrTooLong()
    {
        var pod = ConfigTestPods.Pod();
        pod.Spec.Subdomain = "web";
        pod.Spec.SetHostnameAsFQDN = true;

        Assert.Equal("web.web.shop.svc.cluster.local", _factory.Create(pod, 0).Hostname);
        pod.Metadata.Name = new string('a', 40);
        Assert.Throws<ContainerConfigException>(() => _factory.Create(pod, 0));
    }

    [Fact]
    public void Create_ContainerPorts_MappedOncePerName()
    {
        var app = ConfigTestPods.Container();
        app.Ports =
        [
            new V1ContainerPort { Name = "http", ContainerPort = 80, HostPort = 8080, Protocol = "TCP" },
            new V1ContainerPort { Name = "http", ContainerPort = 81 },
            new V1ContainerPort { ContainerPort = 53, Protocol = "UDP", HostIP = "127.0.0.1" },
        ];
        var sidecar = ConfigTestPods.Container("sidecar");
        sidecar.Ports = [new V1ContainerPort { Name = "http", ContainerPort = 9090 }];

        var mappings = _factory.Create(ConfigTestPods.Pod(app, sidecar), 0).PortMappings;

        Assert.Equal(
            [
                new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 80, HostPort = 8080 },
                new PortMapping { Protocol = Protocol.Udp, ContainerPort = 53, HostIp = "127.0.0.1" },
                new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 9090 },
            ],
            mappings);
    }

    [Theory]
    [InlineData(null, null, "/kubepods/besteffort/pod1f0c2b8e-uid")]
    [InlineData("100m", null, "/kubepods/burstable/pod1f0c2b8e-uid")]
    [InlineData("100m", "100m", "/kubepods/pod1f0c2b8e-uid")]
    public void Create_QosClass_CgroupParent(string? cpuRequest, string? cpuLimit, string expected)
    {
        var container = ConfigTestPods.Container();
        container.Resources = ConfigTestPods.Resources(cpuRequest: cpuRequest, cpuLimit: cpuLimit, memoryRequest: cpuLimit is null ? null : "64Mi", memoryLimit: cpuLimit is null ? null : "64Mi");

        Assert.Equal(expected, _factory.Create(ConfigTestPods.Pod(container), 0).Linux.CgroupParent);
    }

    [Fact]
    public void Create_PodSecurityAndSysctls_Sandbox()
    {
        var privileged = ConfigTestPods.Container();
        privileged.SecurityContext = new V1SecurityContext { Privileged = true };
        var pod = ConfigTestPods.Pod(privileged);
        pod.Spec.SecurityContext = new V1PodSecurityContext
        {
            RunAsUser = 1000,
            RunAsGroup = 2000,
            FsGroup = 3000,
            Sysctls = [new V1Sysctl { Name = "net.ipv4.ip_unprivileged_port_start", Value = "0" }, new V1Sysctl { Name = "net/ipv4/conf/eth0.100/forwarding", Value = "1" }],
        };

        var linux = _factory.Create(pod, 0).Linux;

        Assert.Equal(1000, linux.SecurityContext.RunAsUser.Value);
        Assert.Equal(2000, linux.SecurityContext.RunAsGroup.Value);
        Assert.Equal([3000L], linux.SecurityContext.SupplementalGroups);
        Assert.True(linux.SecurityContext.Privileged);
        Assert.Equal(SecurityProfile.Types.ProfileType.RuntimeDefault, linux.SecurityContext.Seccomp.ProfileType);
        Assert.Equal("0", linux.Sysctls["net.ipv4.ip_unprivileged_port_start"]);
        Assert.Equal("1", linux.Sysctls["net.ipv4.conf.eth0/100.forwarding"]);
    }
}
