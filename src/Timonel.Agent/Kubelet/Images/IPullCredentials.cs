using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Images;

/// <summary>The credentials to try, in order, when pulling an image for a pod (none: an anonymous pull).</summary>
public interface IPullCredentials
{
    Task<IReadOnlyList<AuthConfig>> ForAsync(V1Pod pod, string image, CancellationToken cancellationToken);
}
