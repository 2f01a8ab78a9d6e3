using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>The container instance a probe checks: its spec (for named ports), its runtime id (exec) and its pod's IP (network probes).</summary>
internal sealed record ProbeTarget(V1Pod Pod, V1Container Container, string ContainerId, string PodIP);
