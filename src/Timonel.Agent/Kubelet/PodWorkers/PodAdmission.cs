using k8s.Models;
using Timonel.Agent.Kubelet.Status;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// Whether a pod fits beside those the kubelet already runs (lifecycle/predicate.go's resource fit): the requests of
/// every admitted pod against the node's allocatable. A pod that does not fit is rejected: Failed with reason
/// OutOfcpu, OutOfmemory or OutOfpods and upstream's message.
/// </summary>
internal static class PodAdmission
{
    public static (string Reason, string Message)? Check(V1Pod pod, IEnumerable<V1Pod> admitted, NodeResources allocatable)
    {
        var others = admitted.Where(p => p.Metadata.Uid != pod.Metadata.Uid).ToList();
        if (others.Count + 1 > allocatable.Pods)
        {
            return Insufficient("pods", 1, others.Count, allocatable.Pods);
        }

        var (cpu, memory) = Requests(pod);
        var usedCpu = others.Sum(p => Requests(p).MilliCpu);
        if (cpu > 0 && usedCpu + cpu > allocatable.MilliCpu)
        {
            return Insufficient("cpu", cpu, usedCpu, allocatable.MilliCpu);
        }

        var usedMemory = others.Sum(p => Requests(p).MemoryBytes);
        if (memory > 0 && usedMemory + memory > allocatable.MemoryBytes)
        {
            return Insufficient("memory", memory, usedMemory, allocatable.MemoryBytes);
        }

        return null;
    }

    /// <summary>
    /// A pod's effective requests (resource/helpers.go PodRequests): its containers and sidecars together, or the
    /// largest init container if that asks for more, plus the pod's overhead.
    /// </summary>
    public static (long MilliCpu, long MemoryBytes) Requests(V1Pod pod)
    {
        var init = pod.Spec.InitContainers ?? [];
        long cpu = 0, memory = 0, sidecarCpu = 0, sidecarMemory = 0, initCpu = 0, initMemory = 0;
        foreach (var container in pod.Spec.Containers)
        {
            cpu += MilliCpu(container.Resources?.Requests);
            memory += Bytes(container.Resources?.Requests);
        }

        foreach (var container in init)
        {
            var (c, m) = (MilliCpu(container.Resources?.Requests), Bytes(container.Resources?.Requests));
            if (PodPhases.IsSidecar(container))
            {
                sidecarCpu += c;
                sidecarMemory += m;
            }

            // An init container runs beside the sidecars started before it.
            initCpu = Math.Max(initCpu, c + sidecarCpu);
            initMemory = Math.Max(initMemory, m + sidecarMemory);
        }

        return (
            Math.Max(cpu + sidecarCpu, initCpu) + MilliCpu(pod.Spec.Overhead),
            Math.Max(memory + sidecarMemory, initMemory) + Bytes(pod.Spec.Overhead));
    }

    private static (string Reason, string Message) Insufficient(string resource, long requested, long used, long capacity) =>
        ($"OutOf{resource}", $"Node didn't have enough resource: {resource}, requested: {requested}, used: {used}, capacity: {capacity}");

    private static long MilliCpu(IDictionary<string, ResourceQuantity>? resources) =>
        resources is not null && resources.TryGetValue("cpu", out var cpu) ? (long)Math.Ceiling(cpu.ToDecimal() * 1000) : 0;

    private static long Bytes(IDictionary<string, ResourceQuantity>? resources) =>
        resources is not null && resources.TryGetValue("memory", out var memory) ? (long)Math.Ceiling(memory.ToDecimal()) : 0;
}
