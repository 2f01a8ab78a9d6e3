using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>The node facts a container's configuration depends on.</summary>
public sealed record ContainerConfigOptions
{
    /// <summary>The node's allocatable resources: the limits a downward-API resourceFieldRef reads when the container sets none.</summary>
    public IReadOnlyDictionary<string, ResourceQuantity> NodeAllocatable { get; init; } = new Dictionary<string, ResourceQuantity>();

    /// <summary>The machine's memory in bytes: a Burstable container's oom_score_adj is scaled by its memory request against it.</summary>
    public long MachineMemoryBytes { get; init; }

    /// <summary>The cluster's DNS domain (a pod with a subdomain gets its FQDN in /etc/hosts).</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The node's hosts file, the base of a host-network pod's /etc/hosts.</summary>
    public string NodeHostsFile { get; init; } = "/etc/hosts";

    /// <summary>Where Localhost seccomp profiles live (the kubelet's root dir + /seccomp).</summary>
    public string SeccompProfileRoot { get; init; } = "/var/lib/kubelet/seccomp";
}
