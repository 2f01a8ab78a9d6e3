namespace Timonel.Agent.Simulated;

/// <summary>What <c>timonel agent --simulated N</c> registers: N hollow nodes that run no containers.</summary>
public sealed record SimulatedNodesOptions
{
    /// <summary>The capacity a simulated node reports unless told otherwise: a small machine, with kubelet's default --max-pods.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultCapacity = new Dictionary<string, string>
    {
        ["cpu"] = "4",
        ["memory"] = "16Gi",
        ["pods"] = "110",
    };

    public required int Count { get; init; }

    /// <summary>Nodes are named prefix + index: sim-0, sim-1...</summary>
    public string NamePrefix { get; init; } = "sim-";

    /// <summary>Capacity (and allocatable) of every node; resources given replace the defaults, others are added.</summary>
    public IReadOnlyDictionary<string, string> Capacity { get; init; } = DefaultCapacity;

    /// <summary>Labels added to the well-known ones every node carries.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>K3s' default cluster CIDR; node i gets its i-th /24 as podCIDR.</summary>
    public string ClusterCidr { get; init; } = "10.42.0.0/16";

    /// <summary>Why these options cannot be simulated (more nodes than the cluster CIDR has /24s), or null.</summary>
    public string? Problem()
    {
        int ranges;
        try
        {
            ranges = NodeAddressing.PodRangeCount(ClusterCidr);
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }

        return Count > ranges ? $"{Count} simulated nodes need {Count} /24 pod ranges; the cluster CIDR {ClusterCidr} holds {ranges}" : null;
    }

    /// <summary>How many API requests the agent has in flight at once, across all its nodes and pods.</summary>
    public int MaxConcurrentRequests { get; init; } = 16;
}
