using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>One kind of volume (upstream's VolumePlugin): which pod volumes it serves and how it sets one up.</summary>
internal interface IVolumePlugin
{
    /// <summary>Its folder under the pod's volumes (<c>kubernetes.io~configmap</c>), or null when its volumes live elsewhere (hostPath, claims).</summary>
    string? DirectoryName { get; }

    /// <summary>Whether its contents follow API objects or the pod, so they are set up again while the pod runs.</summary>
    bool Refreshes { get; }

    bool Handles(V1Volume volume);

    /// <summary>Sets the volume up, or brings it up to date when already there. Throws <see cref="VolumeSetupException"/>.</summary>
    Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken);
}
