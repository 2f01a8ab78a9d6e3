namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>A volume ready on the node: the host directory (or file) bound into containers that mount it.</summary>
/// <param name="HostPath">Where the volume lives on the host.</param>
/// <param name="ReadOnly">Whether the volume itself is read-only (ConfigMap, Secret, projected, downwardAPI; a read-only claim).</param>
public sealed record MountedVolume(string HostPath, bool ReadOnly);
