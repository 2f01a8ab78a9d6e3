using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A container's CRI security context (kuberuntime's determineEffectiveSecurityContext): user and group (the
/// image's user when neither the container nor the pod sets one), privileged, read-only root, capabilities,
/// no_new_privs from allowPrivilegeEscalation false, the pod's supplemental groups, seccomp, masked and read-only
/// /proc paths, and the pod's namespaces.
/// </summary>
internal static class ContainerSecurity
{
    public static LinuxContainerSecurityContext For(V1Pod pod, EffectiveSecurityContext security, ImageUser imageUser, string seccompProfileRoot)
    {
        var context = new LinuxContainerSecurityContext
        {
            Privileged = security.Privileged,
            ReadonlyRootfs = security.ReadOnlyRootFilesystem,
            NoNewPrivs = security.AllowPrivilegeEscalation == false,
            NamespaceOptions = PodNamespaces.For(pod),
            Seccomp = SeccompProfiles.For(security.SeccompProfile, seccompProfileRoot),
        };
        if (security.RunAsUser is { } uid)
        {
            context.RunAsUser = new Int64Value { Value = uid };
        }
        else if (imageUser.Uid is { } imageUid)
        {
            context.RunAsUser = new Int64Value { Value = imageUid };
        }
        else
        {
            context.RunAsUsername = imageUser.Username;
        }

        if (security.RunAsGroup is { } gid)
        {
            context.RunAsGroup = new Int64Value { Value = gid };
        }

        if (security.Capabilities is { } capabilities)
        {
            context.Capabilities = new Capability();
            context.Capabilities.AddCapabilities.AddRange(capabilities.Add ?? []);
            context.Capabilities.DropCapabilities.AddRange(capabilities.Drop ?? []);
        }

        context.SupplementalGroups.AddRange(PodSupplementalGroups.Of(pod));
        if (!ProcPaths.Unmasked(security))
        {
            context.MaskedPaths.AddRange(ProcPaths.DefaultMasked);
            context.ReadonlyPaths.AddRange(ProcPaths.DefaultReadonly);
        }

        return context;
    }
}
