using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A container's oom_score_adj (qos.GetContainerOOMScoreAdjust): Guaranteed and node-critical pods -997,
/// BestEffort 1000, Burstable 1000 minus its share of the machine's memory it requests (per mille), kept within 3..999.
/// </summary>
internal static class OomScoreAdjust
{
    public const long Guaranteed = -997;
    public const long BestEffort = 1000;
    public const string NodeCriticalPriorityClass = "system-node-critical";

    public static long For(V1Pod pod, V1Container container, long machineMemoryBytes)
    {
        if (pod.Spec.PriorityClassName == NodeCriticalPriorityClass)
        {
            return Guaranteed;
        }

        switch (PodQosClass.Of(pod))
        {
            case PodQosClass.Guaranteed:
                return Guaranteed;
            case PodQosClass.BestEffort:
                return BestEffort;
        }

        if (machineMemoryBytes <= 0)
        {
            return BestEffort - 1;
        }

        var request = Quantities.Value(Quantities.Get(container.Resources?.Requests, "memory"));
        var score = BestEffort - (long)((decimal)BestEffort * request / machineMemoryBytes);
        return Math.Clamp(score, BestEffort + Guaranteed, BestEffort - 1);
    }
}
