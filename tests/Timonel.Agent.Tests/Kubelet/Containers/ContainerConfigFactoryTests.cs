using k8s.Models;
using Timonel.Agent.Kubelet;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Cri.V1;

using Timonel.Testing.Kubelet;

namespace Timonel.Agent.Tests.Kubelet.Containers;

public sealed class ContainerConfigFactoryTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();
    private readonly FakePodObjects _objects = new();
    private readonly ImageStatusStub _images = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Create_CommandAndArgs_ExpandEnvironment()
    {
        var container = ConfigTestPods.Container();
        container.Env = [new V1EnvVar { Name = "GREETING", Value = "hola" }];
        container.Command = ["sh", "-c"];
        container.Args = ["echo $(GREETING) $(UNKNOWN) $$(GREETING)"];

        var config = await CreateAsync(container);

        Assert.Equal(["sh", "-c"], config.Command);
        Assert.Equal(["echo hola $(UNKNOWN) $(GREETING)"], config.Args);
        Assert.Contains(new KeyValue { Key = "GREETING", Value = "hola" }, config.Envs);
    }

    [Fact]
    public async Task Create_Container_MetadataImageLogAndTerminal()
    {
        var container = ConfigTestPods.Container();
        container.WorkingDir = "/srv";
        container.Stdin = true;
        container.StdinOnce = true;
        container.Tty = true;

        var config = await CreateAsync(container, attempt: 3);

        Assert.Equal(new ContainerMetadata { Name = "app", Attempt = 3 }, config.Metadata);
        Assert.Equal("nginx:alpine", config.Image.Image);
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal("app/3.log", config.LogPath);
        Assert.True(config.Stdin && config.StdinOnce && config.Tty);
    }

    [Fact]
    public async Task Create_LabelsAndAnnotations_KubeletKeys()
    {
        var container = ConfigTestPods.Container();
        container.Ports = [new V1ContainerPort { Name = "http", ContainerPort = 80, Protocol = "TCP" }];
        var pod = ConfigTestPods.Pod(container);
        pod.Spec.TerminationGracePeriodSeconds = 30;

        var config = await CreateAsync(container, pod, attempt: 2);

        Assert.Equal(
            new Dictionary<string, string>
            {
                [KubeletLabels.PodName] = "web",
                [KubeletLabels.PodNamespace] = "shop",
                [KubeletLabels.PodUid] = "1f0c2b8e-uid",
                [KubeletLabels.ContainerName] = "app",
            },
            config.Labels);
        Assert.Equal("2", config.Annotations[KubeletLabels.RestartCountAnnotation]);
        Assert.Equal(ContainerHash.Of(container), config.Annotations[KubeletLabels.ContainerHashAnnotation]);
        Assert.Equal("/dev/termination-log", config.Annotations[KubeletLabels.TerminationMessagePathAnnotation]);
        Assert.Equal("30", config.Annotations[KubeletLabels.PodTerminationGracePeriodAnnotation]);
        Assert.Contains("\"containerPort\":80", config.Annotations[KubeletLabels.ContainerPortsAnnotation]);
    }

    [Fact]
    public async Task Of_ImageChange_NewHash()
    {
        var container = ConfigTestPods.Container();
        var before = ContainerHash.Of(container);
        container.Image = "nginx:1.27";

        Assert.NotEqual(before, ContainerHash.Of(container));
        Assert.Equal(ContainerHash.Of(container), (await CreateAsync(container)).Annotations[KubeletLabels.ContainerHashAnnotation]);
    }

    [Fact]
    public async Task Create_RunAsNonRootRootImage_Throws()
    {
        _images.Images["nginx:alpine"] = new Image { Id = "sha256:1", Uid = new Int64Value { Value = 0 } };
        var container = ConfigTestPods.Container();
        container.SecurityContext = new V1SecurityContext { RunAsNonRoot = true };

        var error = await Assert.ThrowsAsync<ContainerConfigException>(() => CreateAsync(container));

        Assert.StartsWith("container has runAsNonRoot and image will run as root", error.Message);
    }

    [Fact]
    public async Task Create_ResourcesAndSecurity_LinuxConfig()
    {
        var container = ConfigTestPods.Container();
        container.Resources = ConfigTestPods.Resources(cpuRequest: "100m", memoryRequest: "64Mi", cpuLimit: "100m", memoryLimit: "64Mi");
        container.SecurityContext = new V1SecurityContext { RunAsUser = 33 };

        var config = await CreateAsync(container);

        Assert.Equal(10000, config.Linux.Resources.CpuQuota);
        Assert.Equal(-997, config.Linux.Resources.OomScoreAdj);
        Assert.Equal(33, config.Linux.SecurityContext.RunAsUser.Value);
    }

    private Task<ContainerConfig> CreateAsync(V1Container container, V1Pod? pod = null, uint attempt = 0)
    {
        var factory = new ContainerConfigFactory(_objects, _images, new ContainerConfigOptions { MachineMemoryBytes = 8L << 30 });
        return factory.CreateAsync(pod ?? ConfigTestPods.Pod(container), container, ConfigTestPods.Context(_root.Path) with { Attempt = attempt }, CancellationToken.None);
    }
}
