namespace Timonel.Agent.Simulated;

/// <summary>One hollow node's identity and what the agent remembers of it between renewals (a few hundred bytes).</summary>
internal sealed class SimulatedNode
{
    public SimulatedNode(int index, string name, string internalIp, uint podRange, TimeSpan leasePhase)
    {
        Index = index;
        Name = name;
        InternalIp = internalIp;
        PodRange = podRange;
        PodCidr = NodeAddressing.Format(podRange) + "/24";
        LeasePhase = leasePhase;
    }

    public int Index { get; }

    public string Name { get; }

    public string InternalIp { get; }

    /// <summary>The network address of the node's /24, host order.</summary>
    public uint PodRange { get; }

    public string PodCidr { get; }

    /// <summary>Where in each renew interval this node renews its Lease, so N nodes spread evenly over it.</summary>
    public TimeSpan LeasePhase { get; }

    public PodIpPool PodIps { get; } = new();

    /// <summary>The Node's uid once registered (the Lease's owner reference names it).</summary>
    public string? Uid { get; set; }

    public bool Registered => Uid is not null;

    /// <summary>When the node became Ready (the conditions' lastTransitionTime).</summary>
    public DateTimeOffset ReadySince { get; set; }

    /// <summary>The Lease's resourceVersion as last written, to renew it by an update; null to read (or create) it again first.</summary>
    public string? LeaseResourceVersion { get; set; }

    public string PodIp(int offset) => NodeAddressing.Format(PodRange + (uint)offset);
}
