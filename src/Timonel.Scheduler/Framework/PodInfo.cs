using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// A pod with what the scheduler computes from it once (upstream framework/types.go PodInfo and the resource
/// figures NodeInfo keeps per pod): its requests, its requests with the non-zero defaults, and its host ports.
/// </summary>
public sealed class PodInfo
{
    public PodInfo(V1Pod pod)
    {
        Pod = pod;
        Requests = PodRequests.Compute(pod, nonZero: false);
        var nonZero = PodRequests.Compute(pod, nonZero: true);
        NonZeroMilliCpu = nonZero.MilliCpu;
        NonZeroMemory = nonZero.Memory;
        HostPorts = [.. HostPortsOf(pod)];
        var podAffinity = pod.Spec?.Affinity?.PodAffinity;
        var podAntiAffinity = pod.Spec?.Affinity?.PodAntiAffinity;
        HasPodAffinity = podAffinity is not null || podAntiAffinity is not null;
        if (HasPodAffinity)
        {
            RequiredAffinityTerms = [.. (podAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => AffinityTerm.From(pod, t))];
            RequiredAntiAffinityTerms = [.. (podAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => AffinityTerm.From(pod, t))];
            PreferredAffinityTerms = [.. (podAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Weighted(pod, t))];
            PreferredAntiAffinityTerms = [.. (podAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Weighted(pod, t))];
        }
    }

    public V1Pod Pod { get; }

    public Resource Requests { get; }

    public long NonZeroMilliCpu { get; }

    public long NonZeroMemory { get; }

    /// <summary>The containers' ports with a hostPort (regular and init containers, as upstream's GetContainerPorts).</summary>
    public IReadOnlyList<V1ContainerPort> HostPorts { get; }

    public string Key => PodKey.Of(Pod);

    /// <summary>The pod has pod affinity or anti-affinity (upstream NodeInfo.PodsWithAffinity holds such pods).</summary>
    public bool HasPodAffinity { get; }

    public IReadOnlyList<AffinityTerm> RequiredAffinityTerms { get; } = [];

    public IReadOnlyList<AffinityTerm> RequiredAntiAffinityTerms { get; } = [];

    public IReadOnlyList<WeightedAffinityTerm> PreferredAffinityTerms { get; } = [];

    public IReadOnlyList<WeightedAffinityTerm> PreferredAntiAffinityTerms { get; } = [];

    private static WeightedAffinityTerm Weighted(V1Pod pod, V1WeightedPodAffinityTerm term) =>
        new(AffinityTerm.From(pod, term.PodAffinityTerm), term.Weight);

    private static IEnumerable<V1ContainerPort> HostPortsOf(V1Pod pod) =>
        (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? [])
            .SelectMany(c => c.Ports ?? [])
            .Where(p => p.HostPort is > 0);
}
