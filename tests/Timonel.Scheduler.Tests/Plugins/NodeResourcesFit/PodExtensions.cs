using k8s;
using k8s.Models;

namespace Timonel.Scheduler.Tests.Plugins.NodeResourcesFit;

internal static class PodExtensions
{
    /// <summary>A copy of the pod, renamed and bound to <paramref name="nodeName"/>.</summary>
    public static V1Pod WithNode(this V1Pod pod, string nodeName, string name)
    {
        var copy = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        copy.Metadata.Name = name;
        copy.Spec.NodeName = nodeName;
        return copy;
    }
}
