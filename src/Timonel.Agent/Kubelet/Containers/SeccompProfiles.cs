using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A seccompProfile as the CRI's SecurityProfile (kuberuntime's getSeccompProfile): RuntimeDefault, Localhost with
/// its file under the kubelet's seccomp root, and Unconfined, also when none is set (the kubelet's default without
/// --seccomp-default).
/// </summary>
internal static class SeccompProfiles
{
    public static SecurityProfile For(V1SeccompProfile? profile, string profileRoot) => profile?.Type switch
    {
        "RuntimeDefault" => new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
        "Localhost" => new SecurityProfile
        {
            ProfileType = SecurityProfile.Types.ProfileType.Localhost,
            LocalhostRef = Path.Combine(profileRoot, profile.LocalhostProfile ?? ""),
        },
        _ => new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.Unconfined },
    };
}
