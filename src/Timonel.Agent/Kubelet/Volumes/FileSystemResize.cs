using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>A claim's volume, mounted for <paramref name="Pod"/>, finished growing on this node (NodeExpandVolume succeeded).</summary>
public sealed record FileSystemResize(V1Pod Pod, V1PersistentVolumeClaim Claim, string VolumeName)
{
    /// <summary>The event's reason (kubelet events.FileSystemResizeSuccess).</summary>
    public const string Reason = "FileSystemResizeSuccessful";

    /// <summary>upstream's GenerateMsg("MountVolume.NodeExpandVolume succeeded", nodeName): the volume, then the node.</summary>
    public string Message(string nodeName) => $"MountVolume.NodeExpandVolume succeeded for volume \"{VolumeName}\" {nodeName}";
}
