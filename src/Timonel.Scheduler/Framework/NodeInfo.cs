using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// A node with the pods on it and their sums (upstream framework/types.go NodeInfo): requested resources, requested
/// resources with the non-zero defaults (for scoring), the host ports in use and the node's allocatable resources.
/// <see cref="Generation"/> grows with every change, so a snapshot copies only the nodes changed since it was taken.
/// </summary>
public sealed class NodeInfo
{
    private List<PodInfo> _pods = [];

    public NodeInfo(V1Node? node = null)
    {
        if (node is not null)
        {
            SetNode(node);
        }
    }

    /// <summary>Null for a node the cache knows only through pods bound to it (deleted, or not seen yet).</summary>
    public V1Node? Node { get; private set; }

    public string Name => Node?.Metadata?.Name ?? "";

    public IReadOnlyList<PodInfo> Pods => _pods;

    public Resource Requested { get; private set; } = new();

    public Resource NonZeroRequested { get; private set; } = new();

    public Resource Allocatable { get; private set; } = new();

    public HostPortInfo UsedPorts { get; private set; } = new();

    public long Generation { get; set; }

    /// <summary>The node reports images in its status (ImageLocality reads only such nodes).</summary>
    public bool HasImages => Node?.Status?.Images is { Count: > 0 };

    /// <summary>How many of the pods have pod affinity or anti-affinity (upstream keeps them as PodsWithAffinity).</summary>
    public int PodsWithAffinityCount { get; private set; }

    /// <summary>How many of the pods have required anti-affinity terms (upstream's PodsWithRequiredAntiAffinity).</summary>
    public int PodsWithRequiredAntiAffinityCount { get; private set; }

    public void SetNode(V1Node node)
    {
        Node = node;
        Allocatable = Resource.From(node.Status?.Allocatable ?? node.Status?.Capacity);
    }

    public void RemoveNode() => Node = null;

    public void AddPod(PodInfo pod)
    {
        _pods.Add(pod);
        Update(pod, +1);
    }

    /// <summary>Removes the pod with the key of <paramref name="pod"/>; false when it was not on the node.</summary>
    public bool RemovePod(V1Pod pod)
    {
        var key = PodKey.Of(pod);
        var index = _pods.FindIndex(p => p.Key == key);
        if (index < 0)
        {
            return false;
        }

        var removed = _pods[index];
        _pods[index] = _pods[^1];
        _pods.RemoveAt(_pods.Count - 1);
        Update(removed, -1);
        return true;
    }

    /// <summary>A copy whose sums and pod list can change without touching this one (the pods themselves are shared).</summary>
    public NodeInfo Snapshot()
    {
        var copy = new NodeInfo();
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>Makes this object a copy of <paramref name="other"/> (a snapshot keeps its objects, so its lists stay valid).</summary>
    public void CopyFrom(NodeInfo other)
    {
        Node = other.Node;
        _pods = [.. other._pods];
        Requested = other.Requested.Clone();
        NonZeroRequested = other.NonZeroRequested.Clone();
        Allocatable = other.Allocatable.Clone();
        UsedPorts = other.UsedPorts.Clone();
        Generation = other.Generation;
        PodsWithAffinityCount = other.PodsWithAffinityCount;
        PodsWithRequiredAntiAffinityCount = other.PodsWithRequiredAntiAffinityCount;
    }

    private void Update(PodInfo pod, int sign)
    {
        if (sign > 0)
        {
            Requested.Add(pod.Requests);
        }
        else
        {
            Requested.Subtract(pod.Requests);
        }

        if (pod.HasPodAffinity)
        {
            PodsWithAffinityCount += sign;
            if (pod.RequiredAntiAffinityTerms.Count > 0)
            {
                PodsWithRequiredAntiAffinityCount += sign;
            }
        }

        NonZeroRequested.MilliCpu += sign * pod.NonZeroMilliCpu;
        NonZeroRequested.Memory += sign * pod.NonZeroMemory;
        foreach (var port in pod.HostPorts)
        {
            if (sign > 0)
            {
                UsedPorts.Add(port.HostIP, port.Protocol, port.HostPort!.Value);
            }
            else
            {
                UsedPorts.Remove(port.HostIP, port.Protocol, port.HostPort!.Value);
            }
        }
    }
}
