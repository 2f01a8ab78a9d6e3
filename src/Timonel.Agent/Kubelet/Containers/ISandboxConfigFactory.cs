using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// Turns a pod into the CRI's PodSandboxConfig (kuberuntime's generatePodSandboxConfig): metadata, hostname, log
/// directory, DNS configuration from dnsPolicy, hostPort mappings, cgroup parent by QoS class, namespaces, sysctls.
/// </summary>
public interface ISandboxConfigFactory
{
    PodSandboxConfig Create(V1Pod pod, uint attempt);
}
