using k8s.Models;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Testing.Kubelet;

/// <summary>The plainest sandbox config: the pod's metadata and hostname.</summary>
public sealed class FakeSandboxConfigFactory : ISandboxConfigFactory
{
    public PodSandboxConfig Create(V1Pod pod, uint attempt) => new()
    {
        Metadata = new PodSandboxMetadata { Name = pod.Metadata.Name, Namespace = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid, Attempt = attempt },
        Hostname = pod.Metadata.Name,
    };
}
