using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers.Sandbox;

/// <summary>
/// A pod's cgroup with the cgroupfs driver (the pod container manager's GetPodContainerName): Guaranteed pods
/// directly under the root, Burstable and BestEffort under their class's cgroup, each as <c>pod&lt;uid&gt;</c>.
/// </summary>
internal static class PodCgroupParent
{
    public static string For(V1Pod pod, string cgroupRoot)
    {
        var podCgroup = "pod" + pod.Metadata.Uid;
        return PodQosClass.Of(pod) switch
        {
            PodQosClass.Guaranteed => $"{cgroupRoot}/{podCgroup}",
            PodQosClass.BestEffort => $"{cgroupRoot}/besteffort/{podCgroup}",
            _ => $"{cgroupRoot}/burstable/{podCgroup}",
        };
    }
}
