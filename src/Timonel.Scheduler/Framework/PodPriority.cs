using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>A pod's priority and importance as upstream's corev1helpers.PodPriority and scheduler util.MoreImportantPod read them.</summary>
public static class PodPriority
{
    /// <summary>spec.priority, 0 when unset (admission sets it from the PriorityClass).</summary>
    public static int Of(V1Pod pod) => pod.Spec?.Priority ?? 0;

    /// <summary>status.startTime, or <paramref name="now"/> for a pod not started (upstream GetPodStartTime).</summary>
    public static DateTime StartTime(V1Pod pod, DateTime now) => pod.Status?.StartTime ?? now;

    /// <summary>Higher priority first, then the pod started earlier (upstream MoreImportantPod).</summary>
    public static int CompareImportance(V1Pod a, V1Pod b, DateTime now)
    {
        var byPriority = Of(b).CompareTo(Of(a));
        return byPriority != 0 ? byPriority : StartTime(a, now).CompareTo(StartTime(b, now));
    }
}
