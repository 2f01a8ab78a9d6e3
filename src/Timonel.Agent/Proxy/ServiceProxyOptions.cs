namespace Timonel.Agent.Proxy;

/// <summary>How the node's Service proxy runs (kube-proxy's flags of the same meaning).</summary>
public sealed record ServiceProxyOptions
{
    /// <summary>This node's name: endpoints on it are local for the Local traffic policies.</summary>
    public required string NodeName { get; init; }

    /// <summary>--cluster-cidr: traffic from this range is the cluster's own; null to tell none apart.</summary>
    public string? ClusterCidr { get; init; }

    /// <summary>--min-sync-period: changes within it coalesce into one transaction.</summary>
    public TimeSpan MinSyncPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>--sync-period: a sync runs at least this often, changed or not.</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(30);
}
