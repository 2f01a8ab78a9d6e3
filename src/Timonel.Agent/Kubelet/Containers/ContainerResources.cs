using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A container's cgroup settings (kuberuntime's calculateLinuxResources): cpu shares from its request (its limit
/// when it requests none), a CFS quota over a 100 ms period from its limit, its memory limit, and its
/// oom_score_adj by QoS class.
/// </summary>
internal static class ContainerResources
{
    public static LinuxContainerResources For(V1Pod pod, V1Container container, long machineMemoryBytes)
    {
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        var cpuRequest = Quantities.MilliValue(Quantities.Get(requests, "cpu"));
        var cpuLimit = Quantities.MilliValue(Quantities.Get(limits, "cpu"));
        return new LinuxContainerResources
        {
            CpuShares = CgroupCpu.Shares(cpuRequest == 0 && cpuLimit != 0 ? cpuLimit : cpuRequest),
            CpuPeriod = CgroupCpu.QuotaPeriod,
            CpuQuota = CgroupCpu.Quota(cpuLimit),
            MemoryLimitInBytes = Quantities.Value(Quantities.Get(limits, "memory")),
            OomScoreAdj = OomScoreAdjust.For(pod, container, machineMemoryBytes),
        };
    }
}
