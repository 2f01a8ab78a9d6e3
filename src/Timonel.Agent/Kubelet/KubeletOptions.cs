using Timonel.Agent.Kubelet.Node;

namespace Timonel.Agent.Kubelet;

/// <summary>How a kubelet on a real machine runs.</summary>
public sealed record KubeletOptions
{
    /// <summary>The Node's name (the machine's hostname by default).</summary>
    public required string NodeName { get; init; }

    /// <summary>The machine the kubelet runs on, read once by whoever starts it.</summary>
    public required MachineInfo Machine { get; init; }

    /// <summary>Where the kubelet keeps pods' files (pods/&lt;uid&gt;), as upstream's /var/lib/kubelet.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The node's pod range; unset, the kubelet keeps the one its Node has or waits for the node IPAM controller to give it one.</summary>
    public string? PodCidr { get; init; }

    public int MaxPods { get; init; } = Node.KubeletNodeObjects.DefaultMaxPods;

    /// <summary>The runtime handler sandboxes run with ("" for the runtime's default, runc).</summary>
    public string RuntimeHandler { get; init; } = "";

    /// <summary>How often the runtime is relisted for container changes (the PLEG's relist period).</summary>
    public TimeSpan RelistInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often every pod syncs even without a change (the kubelet's --sync-frequency).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the Lease is renewed and the node's status checked.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = NodeAgent.NodeLeases.RenewInterval;

    /// <summary>How often dead containers and unused images are collected.</summary>
    public TimeSpan GarbageCollectionInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Called with the node's pod range once it is known, before the Node registers (the agent writes its CNI network then).</summary>
    public Action<string>? PodCidrChosen { get; init; }

    /// <summary>What is wrong with the options, or null.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(NodeName) ? "a node name is required"
        : string.IsNullOrWhiteSpace(DataDirectory) ? "a data directory is required"
        : MaxPods < 1 ? $"maxPods must be positive, not {MaxPods}"
        : null;
}
