using k8s.Models;
using Timonel.Agent.Containerd.Registries;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Images;

/// <summary>
/// A pod's pull credentials: its imagePullSecrets that exist (read with the node's rights; a missing one is skipped,
/// as the kubelet does), then the node's registries.yaml auth.
/// </summary>
public sealed class PodPullCredentials : IPullCredentials
{
    private readonly IPodObjects _objects;
    private readonly ImageCredentials _credentials;

    public PodPullCredentials(IPodObjects objects, ImageCredentials credentials)
    {
        _objects = objects;
        _credentials = credentials;
    }

    public async Task<IReadOnlyList<AuthConfig>> ForAsync(V1Pod pod, string image, CancellationToken cancellationToken)
    {
        var secrets = new List<V1Secret>();
        foreach (var reference in pod.Spec?.ImagePullSecrets ?? [])
        {
            if (reference.Name is { Length: > 0 } name && await _objects.GetSecretAsync(pod.Metadata.NamespaceProperty, name, cancellationToken) is { } secret)
            {
                secrets.Add(secret);
            }
        }

        return _credentials.For(image, secrets);
    }
}
