using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>One volume of one pod being set up.</summary>
/// <param name="Pod">The pod as the kubelet last saw it (labels and annotations feed downwardAPI files).</param>
/// <param name="Volume">The volume from the pod's spec.</param>
/// <param name="Directory">The volume's own directory under the pod's, for plugins that keep one.</param>
internal sealed record VolumeSetupContext(V1Pod Pod, V1Volume Volume, string Directory)
{
    public string Namespace => Pod.Metadata.NamespaceProperty ?? "default";

    /// <summary>A setup failure of this volume, as the pod worker reports it (FailedMount).</summary>
    public VolumeSetupException Failure(string message) => new(Volume.Name, message);
}
