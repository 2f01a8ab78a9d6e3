using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>Where the volume manager keeps pods' volumes and how often it refreshes their contents.</summary>
public sealed record VolumeManagerOptions
{
    /// <summary>The kubelet's root directory (--root-dir): volumes live under <c>pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;name&gt;</c>.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>
    /// How often ConfigMap, Secret, projected and downwardAPI volumes of running pods are brought up to date; each
    /// round waits this long plus up to half again at random, so updates reach pods well within a minute by default.
    /// </summary>
    public TimeSpan RefreshPeriod { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The node's allocatable resources: what a resourceFieldRef shows for a limit the container does not set.</summary>
    public required IReadOnlyDictionary<string, ResourceQuantity> NodeAllocatable { get; init; }

    /// <summary>Whether tmpfs can be mounted (root); otherwise Memory emptyDirs are plain directories.</summary>
    public bool CanMount { get; init; } = Environment.IsPrivilegedProcess;
}
