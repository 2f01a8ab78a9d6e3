using System.Globalization;
using k8s.Models;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>What pods may use of a node (its allocatable): cpu in millicores, memory in bytes, and a pod count.</summary>
internal sealed record NodeResources(long MilliCpu, long MemoryBytes, long Pods)
{
    /// <summary>As resource quantities by name: what a resourceFieldRef shows for a limit a container does not set.</summary>
    public IReadOnlyDictionary<string, ResourceQuantity> AsQuantities() => new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
    {
        ["cpu"] = new(MilliCpu % 1000 == 0 ? (MilliCpu / 1000).ToString(CultureInfo.InvariantCulture) : MilliCpu.ToString(CultureInfo.InvariantCulture) + "m"),
        ["memory"] = new(MemoryBytes.ToString(CultureInfo.InvariantCulture)),
        ["pods"] = new(Pods.ToString(CultureInfo.InvariantCulture)),
    };
}
