namespace Timonel.Client.LeaderElection;

/// <summary>How a candidate campaigns (client-go's LeaderElectionConfig); the defaults are kube-controller-manager's.</summary>
public sealed record LeaderElectionConfig
{
    /// <summary>
    /// How long a candidate waits, on its own clock from the moment it last saw the record change, before it takes a
    /// lease whose holder stopped renewing. --leader-elect-lease-duration's default (component-base's
    /// RecommendedDefaultLeaderElectionConfiguration: 15 s).
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failed renewal before it gives leadership up (--leader-elect-renew-deadline: 10 s).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait between attempts to acquire or renew (--leader-elect-retry-period: 2 s).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On a graceful stop the leader hands the lease back (holder empty, duration 1 s), so a candidate takes it at its
    /// next retry instead of after a whole lease duration.
    /// </summary>
    public bool ReleaseOnCancel { get; init; }

    /// <summary>client-go's JitterFactor for acquire attempts: each wait is RetryPeriod plus up to 1.2 times more.</summary>
    public double JitterFactor { get; init; } = 1.2;
}
