using k8s;

namespace Timonel.Controllers.Volume;

/// <summary>
/// The built-in local-path provisioner's settings (<c>timonel server</c>'s <c>--default-local-storage-path</c> and
/// its own node).
/// </summary>
/// <param name="Directory">Where volumes are made, on every node (K3s' default path for nodes not listed).</param>
/// <param name="LocalNode">The node running in the server's process, whose directories the server makes itself; null with <c>--disable-agent</c>.</param>
public sealed record LocalPathStorage(string Directory, string? LocalNode)
{
    /// <summary>The helper pods' image (rancher's helper image: busybox), run only on nodes other than the local one.</summary>
    public string HelperImage { get; init; } = "busybox";

    public LocalPathProvisioner CreateProvisioner(IKubernetes client, TimeProvider time) =>
        new(Directory, LocalNode, new HelperPodDirectories(client, HelperImage, time));
}
