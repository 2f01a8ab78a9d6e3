using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// Turns a pod's container into the CRI's ContainerConfig (kuberuntime's generateContainerConfig): command and
/// args, environment, mounts, resources, security context, labels and the log path.
/// </summary>
public interface IContainerConfigFactory
{
    /// <summary>Throws <see cref="ContainerConfigException"/> when the container cannot be configured yet (CreateContainerConfigError).</summary>
    Task<ContainerConfig> CreateAsync(V1Pod pod, V1Container container, ContainerContext context, CancellationToken cancellationToken);
}
