using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// runAsNonRoot enforced (kuberuntime's verifyRunAsNonRoot): a container that would run as uid 0, by its own
/// runAsUser or its image's user, does not start; nor does one whose image names a user that cannot be checked.
/// </summary>
internal static class RunAsNonRoot
{
    public static void Verify(V1Pod pod, V1Container container, EffectiveSecurityContext security, ImageUser imageUser)
    {
        if (security.RunAsNonRoot != true)
        {
            return;
        }

        var who = $"pod: \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\", container: {container.Name}";
        if (security.RunAsUser is { } uid)
        {
            if (uid == 0)
            {
                throw new ContainerConfigException($"container's runAsUser breaks non-root policy ({who})");
            }

            return;
        }

        if (imageUser.Uid == 0)
        {
            throw new ContainerConfigException($"container has runAsNonRoot and image will run as root ({who})");
        }

        if (imageUser.Uid is null && imageUser.Username.Length > 0)
        {
            throw new ContainerConfigException($"container has runAsNonRoot and image has non-numeric user ({imageUser.Username}), cannot verify user is non-root ({who})");
        }
    }
}
