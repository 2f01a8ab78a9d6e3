using k8s.Models;
using Timonel.Agent.Kubelet.Containers.Environment;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A container's mounts (the kubelet's makeMounts and kuberuntime's makeMounts): its volumeMounts against the pod's
/// set-up volumes (subPath and subPathExpr, readOnly, mountPropagation), the pod's managed /etc/hosts unless the
/// container mounts its own, and a fresh file for its termination message. /etc/hostname and /etc/resolv.conf come
/// from the runtime's sandbox.
/// </summary>
internal sealed class ContainerMounts
{
    public const string DefaultTerminationMessagePath = "/dev/termination-log";

    private readonly ContainerConfigOptions _options;

    public ContainerMounts(ContainerConfigOptions options) => _options = options;

    public IEnumerable<Mount> Build(V1Pod pod, V1Container container, ContainerContext context, IReadOnlyList<KeyValuePair<string, string>> env)
    {
        var mounts = new List<Mount>();
        foreach (var volumeMount in container.VolumeMounts ?? [])
        {
            mounts.Add(VolumeMount(container, volumeMount, context, env));
        }

        var mountsOwnHosts = mounts.Any(m => m.ContainerPath == HostsFile.ContainerPath);
        if (!mountsOwnHosts && (context.PodIPs.Count > 0 || pod.Spec.HostNetwork == true))
        {
            mounts.Add(new Mount
            {
                ContainerPath = HostsFile.ContainerPath,
                HostPath = HostsFile.Write(pod, context, _options.ClusterDomain, _options.NodeHostsFile),
            });
        }

        mounts.Add(TerminationMessage(container, context));
        return mounts;
    }

    /// <summary>The propagation of a volumeMount; throws for a mode the API does not define.</summary>
    public static MountPropagation Propagation(string? mode) => mode switch
    {
        null or "" or "None" => MountPropagation.PropagationPrivate,
        "HostToContainer" => MountPropagation.PropagationHostToContainer,
        "Bidirectional" => MountPropagation.PropagationBidirectional,
        _ => throw new ContainerConfigException($"invalid MountPropagation mode: \"{mode}\""),
    };

    private static Mount VolumeMount(V1Container container, V1VolumeMount volumeMount, ContainerContext context, IReadOnlyList<KeyValuePair<string, string>> env)
    {
        if (!context.Volumes.TryGetValue(volumeMount.Name, out var volume))
        {
            throw new ContainerConfigException($"cannot find volume \"{volumeMount.Name}\" to mount into container \"{container.Name}\"");
        }

        var subPath = string.IsNullOrEmpty(volumeMount.SubPathExpr) ? volumeMount.SubPath : SubPathExpression.Expand(volumeMount.SubPathExpr, env);
        var hostPath = string.IsNullOrEmpty(subPath) ? volume.HostPath : SubPaths.Prepare(volume.HostPath, subPath, volumeMount.Name, container.Name);
        return new Mount
        {
            ContainerPath = volumeMount.MountPath,
            HostPath = hostPath,
            Readonly = volumeMount.ReadOnlyProperty == true || volume.ReadOnly,
            Propagation = Propagation(volumeMount.MountPropagation),
        };
    }

    // A new empty file per container instance (the pod worker reads it back from the container status' mounts).
    private static Mount TerminationMessage(V1Container container, ContainerContext context)
    {
        var directory = Path.Combine(context.PodDirectory, "containers", container.Name);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next())));
        File.WriteAllBytes(file, []);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        var path = string.IsNullOrEmpty(container.TerminationMessagePath) ? DefaultTerminationMessagePath : container.TerminationMessagePath;
        return new Mount { ContainerPath = path, HostPath = file };
    }
}
