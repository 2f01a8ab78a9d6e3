using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>The extra groups of every process in a pod: its fsGroup, then its supplementalGroups.</summary>
internal static class PodSupplementalGroups
{
    public static IEnumerable<long> Of(V1Pod pod)
    {
        var context = pod.Spec.SecurityContext;
        return (context?.FsGroup is { } fsGroup ? [fsGroup] : Array.Empty<long>())
            .Concat((context?.SupplementalGroups ?? []).OfType<long>());
    }
}
