namespace Timonel.Controllers.Cloud;

/// <summary>cloud-controller-manager's flags that <c>timonel server</c> passes on.</summary>
public sealed record CloudControllerManagerOptions
{
    /// <summary>--cluster-name's default: the name balancers of this cluster are told apart by.</summary>
    public const string DefaultClusterName = "kubernetes";

    public string ClusterName { get; init; } = DefaultClusterName;

    /// <summary>Whether the service controller runs (off with <c>--disable servicelb</c>, K3s' switch for its load balancer).</summary>
    public bool ServiceLoadBalancer { get; init; } = true;
}
