namespace Timonel.Agent.Kubelet.Containers.Sandbox;

/// <summary>The node facts a pod sandbox's configuration depends on.</summary>
public sealed record SandboxConfigOptions
{
    /// <summary>Where pods' log directories live (the kubelet's /var/log/pods).</summary>
    public string PodLogsRoot { get; init; } = "/var/log/pods";

    /// <summary>The cluster DNS servers ClusterFirst pods resolve with (the kubelet's --cluster-dns).</summary>
    public IReadOnlyList<string> ClusterDns { get; init; } = ["10.43.0.10"];

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The node's resolver configuration: Default pods get it, ClusterFirst pods its search domains (the kubelet's --resolv-conf).</summary>
    public string ResolvConf { get; init; } = "/etc/resolv.conf";

    /// <summary>The cgroup (cgroupfs driver) under which the kubelet puts the QoS classes' pod cgroups.</summary>
    public string CgroupRoot { get; init; } = "/kubepods";
}
