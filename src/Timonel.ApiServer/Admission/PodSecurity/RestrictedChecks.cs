using Timonel.ApiServer.Json;
using static Timonel.ApiServer.Admission.PodSecurity.CheckText;

namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>
/// The restricted level's own checks (k8s.io/pod-security-admission/policy/check_*.go). From v1.25 a pod that
/// declares spec.os.name windows is exempt from the Linux-only ones (allowPrivilegeEscalation, seccompProfile,
/// capabilities), as upstream's versioned checks are.
/// </summary>
internal static class RestrictedChecks
{
    // check_restrictedVolumes.go: the volume types a restricted pod may use.
    private static readonly HashSet<string> _allowedVolumeTypes = new(StringComparer.Ordinal)
    {
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    };

    // The restricted types upstream names, in its order; anything else is "unknown".
    private static readonly string[] _namedVolumeTypes =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume",
        "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
        "portworxVolume", "scaleIO", "storageos",
    ];

    public static CheckFailure? Volumes(PodSecurityPod pod, PolicyVersion version)
    {
        var bad = new List<string>();
        var types = new List<string>();
        foreach (var volume in BaselineChecks.Volumes(pod))
        {
            if (volume.Any(p => _allowedVolumeTypes.Contains(p.Key) && p.Value is not null))
            {
                continue;
            }

            bad.Add(volume.StringAt("name") ?? "");
            types.Add(_namedVolumeTypes.FirstOrDefault(t => volume[t] is not null) ?? "unknown");
        }

        if (bad.Count == 0)
        {
            return null;
        }

        var sorted = Sorted(types);
        return new("restricted volume types", $"{Pluralize("volume", "volumes", bad.Count)} {JoinQuote(bad)} {Pluralize("uses", "use", bad.Count)} {Pluralize("restricted volume type", "restricted volume types", sorted.Count)} {JoinQuote(sorted)}");
    }

    public static CheckFailure? AllowPrivilegeEscalation(PodSecurityPod pod, PolicyVersion version)
    {
        if (ExemptWindows(pod, version))
        {
            return null;
        }

        var bad = pod.Containers.Where(c => c.BoolAt("securityContext", "allowPrivilegeEscalation") != false).Select(PodSecurityPod.Name).ToList();
        return bad.Count > 0 ? new("allowPrivilegeEscalation != false", $"{Containers(bad)} must set securityContext.allowPrivilegeEscalation=false") : null;
    }

    public static CheckFailure? RunAsNonRoot(PodSecurityPod pod, PolicyVersion version)
    {
        var setters = new List<string>();
        var podNonRoot = false;
        if (pod.SecurityContext.BoolAt("runAsNonRoot") is { } podValue)
        {
            if (podValue)
            {
                podNonRoot = true;
            }
            else
            {
                setters.Add("pod");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (container.BoolAt("securityContext", "runAsNonRoot") is { } value)
            {
                if (!value)
                {
                    explicitlyBad.Add(PodSecurityPod.Name(container));
                }
            }
            else if (!podNonRoot)
            {
                implicitlyBad.Add(PodSecurityPod.Name(container));
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return new("runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false");
        }

        return implicitlyBad.Count > 0 ? new("runAsNonRoot != true", $"pod or {Containers(implicitlyBad)} must set securityContext.runAsNonRoot=true") : null;
    }

    public static CheckFailure? RunAsUser(PodSecurityPod pod, PolicyVersion version)
    {
        var setters = new List<string>();
        if (pod.SecurityContext.LongAt("runAsUser") == 0)
        {
            setters.Add("pod");
        }

        var bad = pod.Containers.Where(c => c.LongAt("securityContext", "runAsUser") == 0).Select(PodSecurityPod.Name).ToList();
        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        return setters.Count > 0 ? new("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0") : null;
    }

    public static CheckFailure? SeccompProfile(PodSecurityPod pod, PolicyVersion version)
    {
        if (ExemptWindows(pod, version))
        {
            return null;
        }

        var setters = new List<string>();
        var values = new List<string>();
        var podSet = false;
        if (pod.SecurityContext.ObjectAt("seccompProfile") is { } podProfile)
        {
            if (BaselineChecks.ValidSeccomp(podProfile))
            {
                podSet = true;
            }
            else
            {
                setters.Add("pod");
                values.Add(podProfile.StringAt("type") ?? "");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (container.ObjectAt("securityContext", "seccompProfile") is { } profile)
            {
                if (!BaselineChecks.ValidSeccomp(profile))
                {
                    explicitlyBad.Add(PodSecurityPod.Name(container));
                    values.Add(profile.StringAt("type") ?? "");
                }
            }
            else if (!podSet)
            {
                implicitlyBad.Add(PodSecurityPod.Name(container));
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return new("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(Sorted(values))}");
        }

        return implicitlyBad.Count > 0
            ? new("seccompProfile", $"pod or {Containers(implicitlyBad)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"")
            : null;
    }

    public static CheckFailure? Capabilities(PodSecurityPod pod, PolicyVersion version)
    {
        if (ExemptWindows(pod, version))
        {
            return null;
        }

        var missingDropAll = new List<string>();
        var addingForbidden = new List<string>();
        var forbidden = new List<string>();
        foreach (var container in pod.Containers)
        {
            var capabilities = container.ObjectAt("securityContext", "capabilities");
            if (capabilities is null)
            {
                missingDropAll.Add(PodSecurityPod.Name(container));
                continue;
            }

            if (!BaselineChecks.Strings(capabilities.ArrayAt("drop")).Contains("ALL"))
            {
                missingDropAll.Add(PodSecurityPod.Name(container));
            }

            var added = BaselineChecks.Strings(capabilities.ArrayAt("add")).Where(c => c != "NET_BIND_SERVICE").ToList();
            if (added.Count > 0)
            {
                addingForbidden.Add(PodSecurityPod.Name(container));
                forbidden.AddRange(added);
            }
        }

        var details = new List<string>();
        if (missingDropAll.Count > 0)
        {
            details.Add($"{Containers(missingDropAll)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        if (addingForbidden.Count > 0)
        {
            details.Add($"{Containers(addingForbidden)} must not include {JoinQuote(Sorted(forbidden))} in securityContext.capabilities.add");
        }

        return details.Count > 0 ? new("unrestricted capabilities", string.Join("; ", details)) : null;
    }

    private static bool ExemptWindows(PodSecurityPod pod, PolicyVersion version) => version.AtLeast(25) && pod.IsWindows;
}
