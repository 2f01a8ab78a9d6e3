using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>How the scheduler names a pod in its queue and cache: namespace/name.</summary>
public static class PodKey
{
    public static string Of(V1Pod pod) => $"{pod.Metadata?.NamespaceProperty}/{pod.Metadata?.Name}";
}
