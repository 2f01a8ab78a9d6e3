using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>What a container's configuration depends on beyond the pod's spec.</summary>
/// <param name="Attempt">The container's restart count: its CRI metadata attempt and log file number.</param>
/// <param name="PodDirectory">The pod's directory on the node (its hosts file and termination-message files live there).</param>
/// <param name="PodIPs">The sandbox's IPs, first the primary one (status.podIP, status.podIPs).</param>
/// <param name="HostIP">The node's InternalIP (status.hostIP).</param>
/// <param name="Volumes">The pod's volumes as the volume manager set them up, by name.</param>
public sealed record ContainerContext(uint Attempt, string PodDirectory, IReadOnlyList<string> PodIPs, string HostIP, IReadOnlyDictionary<string, MountedVolume> Volumes);
