using k8s.Models;
using Timonel.Agent.Kubelet.Containers;

namespace Timonel.Agent.Tests.Kubelet.Containers;

public class ContainerResourcesTests
{
    private const long MachineMemory = 8L * 1024 * 1024 * 1024;

    [Fact]
    public void For_Guaranteed_SharesQuotaMemoryLimitLowestOomScore()
    {
        var container = ConfigTestPods.Container();
        container.Resources = ConfigTestPods.Resources(cpuRequest: "500m", memoryRequest: "128Mi", cpuLimit: "500m", memoryLimit: "128Mi");

        var resources = ContainerResources.For(ConfigTestPods.Pod(container), container, MachineMemory);

        Assert.Equal(512, resources.CpuShares);
        Assert.Equal(100000, resources.CpuPeriod);
        Assert.Equal(50000, resources.CpuQuota);
        Assert.Equal(128L * 1024 * 1024, resources.MemoryLimitInBytes);
        Assert.Equal(-997, resources.OomScoreAdj);
    }

    [Fact]
    public void For_Burstable_OomScoreByShareOfMachineMemory()
    {
        var container = ConfigTestPods.Container();
        container.Resources = ConfigTestPods.Resources(cpuRequest: "250m", memoryRequest: "2Gi", cpuLimit: "1", memoryLimit: "4Gi");

        var resources = ContainerResources.For(ConfigTestPods.Pod(container), container, MachineMemory);

        Assert.Equal(256, resources.CpuShares);
        Assert.Equal(100000, resources.CpuQuota);
        Assert.Equal(4L * 1024 * 1024 * 1024, resources.MemoryLimitInBytes);
        Assert.Equal(750, resources.OomScoreAdj);
    }

    [Theory]
    [InlineData("8Gi", 3)]
    [InlineData("1Ki", 999)]
    public void OomScoreAdj_BurstableExtremes_KeptBetween3And999(string memoryRequest, long expected)
    {
        var container = ConfigTestPods.Container();
        container.Resources = ConfigTestPods.Resources(memoryRequest: memoryRequest);

        Assert.Equal(expected, ContainerResources.For(ConfigTestPods.Pod(container), container, MachineMemory).OomScoreAdj);
    }

    [Fact]
    public void For_BestEffort_MinimalSharesNoQuotaHighestOomScore()
    {
        var container = ConfigTestPods.Container();

        var resources = ContainerResources.For(ConfigTestPods.Pod(container), container, MachineMemory);

        Assert.Equal(2, resources.CpuShares);
        Assert.Equal(0, resources.CpuQuota);
        Assert.Equal(0, resources.MemoryLimitInBytes);
        Assert.Equal(1000, resources.OomScoreAdj);
    }

    [Fact]
    public void For_NoCpuRequest_SharesFromLimit()
    {
        var container = ConfigTestPods.Container();
        container.Resources = ConfigTestPods.Resources(cpuLimit: "2");

        Assert.Equal(2048, ContainerResources.For(ConfigTestPods.Pod(container), container, MachineMemory).CpuShares);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(100, 102)]
    [InlineData(1000, 1024)]
    [InlineData(1_000_000, 262144)]
    public void Shares_Millicores_CpuShares(long milliCpu, long shares) => Assert.Equal(shares, CgroupCpu.Shares(milliCpu));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1000)]
    [InlineData(250, 25000)]
    [InlineData(2000, 200000)]
    public void Quota_Millicores_CfsQuota(long milliCpu, long quota) => Assert.Equal(quota, CgroupCpu.Quota(milliCpu));

    [Fact]
    public void OomScoreAdj_NodeCriticalPod_ScoredAsGuaranteed()
    {
        var container = ConfigTestPods.Container();
        var pod = ConfigTestPods.Pod(container);
        pod.Spec.PriorityClassName = "system-node-critical";

        Assert.Equal(-997, OomScoreAdjust.For(pod, container, MachineMemory));
    }

    [Fact]
    public void Of_InitContainersAndStatus_QosClass()
    {
        var app = ConfigTestPods.Container();
        app.Resources = ConfigTestPods.Resources(cpuRequest: "1", memoryRequest: "1Gi", cpuLimit: "1", memoryLimit: "1Gi");
        var init = ConfigTestPods.Container("init");
        var pod = ConfigTestPods.Pod(app);

        Assert.Equal("Guaranteed", PodQosClass.Of(pod));
        pod.Spec.InitContainers = [init];
        init.Resources = ConfigTestPods.Resources(memoryRequest: "1Gi");
        Assert.Equal("Burstable", PodQosClass.Of(pod));
        pod.Status = new V1PodStatus { QosClass = "BestEffort" };
        Assert.Equal("BestEffort", PodQosClass.Of(pod));
    }
}
