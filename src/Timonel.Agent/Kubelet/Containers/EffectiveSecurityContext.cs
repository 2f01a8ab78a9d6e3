using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A container's security settings with the pod's as defaults (securitycontext.DetermineEffectiveSecurityContext):
/// runAsUser, runAsGroup, runAsNonRoot and seccompProfile fall back to the pod's; the rest are the container's own.
/// </summary>
internal sealed record EffectiveSecurityContext(
    long? RunAsUser,
    long? RunAsGroup,
    bool? RunAsNonRoot,
    V1SeccompProfile? SeccompProfile,
    bool Privileged,
    bool ReadOnlyRootFilesystem,
    bool? AllowPrivilegeEscalation,
    V1Capabilities? Capabilities,
    string? ProcMount)
{
    public static EffectiveSecurityContext For(V1Pod pod, V1Container container)
    {
        var podContext = pod.Spec.SecurityContext;
        var own = container.SecurityContext;
        return new EffectiveSecurityContext(
            own?.RunAsUser ?? podContext?.RunAsUser,
            own?.RunAsGroup ?? podContext?.RunAsGroup,
            own?.RunAsNonRoot ?? podContext?.RunAsNonRoot,
            own?.SeccompProfile ?? podContext?.SeccompProfile,
            own?.Privileged == true,
            own?.ReadOnlyRootFilesystem == true,
            own?.AllowPrivilegeEscalation,
            own?.Capabilities,
            own?.ProcMount);
    }
}
