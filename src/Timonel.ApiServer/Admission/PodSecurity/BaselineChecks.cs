using System.Globalization;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using static Timonel.ApiServer.Admission.PodSecurity.CheckText;

namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>
/// The baseline level's checks, each as upstream words it (k8s.io/pod-security-admission/policy/check_*.go): the
/// reason and the detail of every failure are what users match on.
/// </summary>
internal static class BaselineChecks
{
    // check_capabilities_baseline.go: the container runtimes' default set.
    private static readonly HashSet<string> _defaultCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    // check_seLinuxOptions.go selinux_allowed_types_1_0.
    private static readonly HashSet<string> _seLinuxTypes = new(StringComparer.Ordinal) { "", "container_t", "container_init_t", "container_kvm_t" };

    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public static CheckFailure? HostNamespaces(PodSecurityPod pod, PolicyVersion version)
    {
        var used = new List<string>();
        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            if (pod.Spec.BoolAt(field) == true)
            {
                used.Add(field + "=true");
            }
        }

        return used.Count > 0 ? new("host namespaces", string.Join(", ", used)) : null;
    }

    public static CheckFailure? Privileged(PodSecurityPod pod, PolicyVersion version)
    {
        var bad = pod.Containers.Where(c => c.BoolAt("securityContext", "privileged") == true).Select(PodSecurityPod.Name).ToList();
        return bad.Count > 0 ? new("privileged", $"{Containers(bad)} must not set securityContext.privileged=true") : null;
    }

    public static CheckFailure? Capabilities(PodSecurityPod pod, PolicyVersion version)
    {
        var bad = new List<string>();
        var added = new List<string>();
        foreach (var container in pod.Containers)
        {
            var forbidden = Strings(container.ArrayAt("securityContext", "capabilities", "add")).Where(c => !_defaultCapabilities.Contains(c)).ToList();
            if (forbidden.Count > 0)
            {
                bad.Add(PodSecurityPod.Name(container));
                added.AddRange(forbidden);
            }
        }

        return bad.Count > 0
            ? new("non-default capabilities", $"{Containers(bad)} must not include {JoinQuote(Sorted(added))} in securityContext.capabilities.add")
            : null;
    }

    public static CheckFailure? HostPathVolumes(PodSecurityPod pod, PolicyVersion version)
    {
        var bad = Volumes(pod).Where(v => v["hostPath"] is not null).Select(v => v.StringAt("name") ?? "").ToList();
        return bad.Count > 0 ? new("hostPath volumes", $"{Pluralize("volume", "volumes", bad.Count)} {JoinQuote(bad)}") : null;
    }

    public static CheckFailure? HostPorts(PodSecurityPod pod, PolicyVersion version)
    {
        var bad = new List<string>();
        var ports = new List<string>();
        foreach (var container in pod.Containers)
        {
            var used = (container.ArrayAt("ports") ?? []).Select(p => p.LongAt("hostPort") ?? 0).Where(p => p != 0).ToList();
            if (used.Count > 0)
            {
                bad.Add(PodSecurityPod.Name(container));
                ports.AddRange(used.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            }
        }

        if (bad.Count == 0)
        {
            return null;
        }

        var sorted = Sorted(ports);
        return new("hostPort", $"{Containers(bad)} {Pluralize("uses", "use", bad.Count)} {Pluralize("hostPort", "hostPorts", sorted.Count)} {string.Join(", ", sorted)}");
    }

    public static CheckFailure? AppArmorProfile(PodSecurityPod pod, PolicyVersion version)
    {
        var setters = new List<string>();
        var values = new List<string>();
        if (pod.SecurityContext.StringAt("appArmorProfile", "type") is { } podType && !AllowedAppArmorType(podType))
        {
            setters.Add("pod");
            values.Add(podType);
        }

        var bad = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (container.StringAt("securityContext", "appArmorProfile", "type") is { } type && !AllowedAppArmorType(type))
            {
                bad.Add(PodSecurityPod.Name(container));
                values.Add(type);
            }
        }

        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        var valueList = Sorted(values);
        var annotations = pod.Annotations
            .Where(a => a.Key.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal) && !AllowedAppArmorAnnotation(a.Value))
            .Select(a => $"{a.Key}={GoValue.Quote(a.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (annotations.Count > 0)
        {
            valueList.AddRange(annotations);
            setters.Add(Pluralize("annotation", "annotations", annotations.Count));
        }

        return setters.Count > 0
            ? new(Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", valueList.Count), $"{string.Join(" and ", setters)} must not set AppArmor profile type to {JoinQuote(valueList)}")
            : null;
    }

    public static CheckFailure? SeLinuxOptions(PodSecurityPod pod, PolicyVersion version)
    {
        var types = new List<string>();
        var setUser = false;
        var setRole = false;
        bool Valid(JsonObject options)
        {
            var valid = true;
            var type = options.StringAt("type") ?? "";
            if (!_seLinuxTypes.Contains(type))
            {
                valid = false;
                types.Add(type);
            }

            if (!string.IsNullOrEmpty(options.StringAt("user")))
            {
                valid = false;
                setUser = true;
            }

            if (!string.IsNullOrEmpty(options.StringAt("role")))
            {
                valid = false;
                setRole = true;
            }

            return valid;
        }

        var setters = new List<string>();
        if (pod.SecurityContext.ObjectAt("seLinuxOptions") is { } podOptions && !Valid(podOptions))
        {
            setters.Add("pod");
        }

        var bad = pod.Containers.Where(c => c.ObjectAt("securityContext", "seLinuxOptions") is { } options && !Valid(options)).Select(PodSecurityPod.Name).ToList();
        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        if (setters.Count == 0)
        {
            return null;
        }

        var data = new List<string>();
        var sortedTypes = Sorted(types);
        if (sortedTypes.Count > 0)
        {
            data.Add($"{Pluralize("type", "types", sortedTypes.Count)} {JoinQuote(sortedTypes)}");
        }

        if (setUser)
        {
            data.Add("user may not be set");
        }

        if (setRole)
        {
            data.Add("role may not be set");
        }

        return new("seLinuxOptions", $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", data)}");
    }

    public static CheckFailure? ProcMount(PodSecurityPod pod, PolicyVersion version)
    {
        var bad = new List<string>();
        var types = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (container.StringAt("securityContext", "procMount") is { } procMount && procMount != "Default")
            {
                bad.Add(PodSecurityPod.Name(container));
                types.Add(procMount);
            }
        }

        return bad.Count > 0 ? new("procMount", $"{Containers(bad)} must not set securityContext.procMount to {JoinQuote(Sorted(types))}") : null;
    }

    /// <summary>check_seccompProfile_baseline.go, the v1.19+ field rules (Timonel evaluates older versions by them too).</summary>
    public static CheckFailure? SeccompProfile(PodSecurityPod pod, PolicyVersion version)
    {
        var setters = new List<string>();
        var values = new List<string>();
        if (pod.SecurityContext.ObjectAt("seccompProfile") is { } podProfile && !ValidSeccomp(podProfile))
        {
            setters.Add("pod");
            values.Add(podProfile.StringAt("type") ?? "");
        }

        var bad = new List<string>();
        foreach (var container in pod.Containers)
        {
            if (container.ObjectAt("securityContext", "seccompProfile") is { } profile && !ValidSeccomp(profile))
            {
                bad.Add(PodSecurityPod.Name(container));
                values.Add(profile.StringAt("type") ?? "");
            }
        }

        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        return setters.Count > 0
            ? new("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(Sorted(values))}")
            : null;
    }

    public static CheckFailure? Sysctls(PodSecurityPod pod, PolicyVersion version)
    {
        var forbidden = (pod.SecurityContext.ArrayAt("sysctls") ?? [])
            .Select(s => s.StringAt("name") ?? "")
            .Where(name => !SafeSysctl(name, version))
            .ToList();
        return forbidden.Count > 0 ? new("forbidden sysctls", string.Join(", ", forbidden)) : null;
    }

    public static CheckFailure? WindowsHostProcess(PodSecurityPod pod, PolicyVersion version)
    {
        var setters = new List<string>();
        if (pod.SecurityContext.BoolAt("windowsOptions", "hostProcess") == true)
        {
            setters.Add("pod");
        }

        var bad = pod.Containers.Where(c => c.BoolAt("securityContext", "windowsOptions", "hostProcess") == true).Select(PodSecurityPod.Name).ToList();
        if (bad.Count > 0)
        {
            setters.Add(Containers(bad));
        }

        return setters.Count > 0 ? new("hostProcess", $"{string.Join(" and ", setters)} must not set securityContext.windowsOptions.hostProcess=true") : null;
    }

    public static bool ValidSeccomp(JsonObject profile) => profile.StringAt("type") is "RuntimeDefault" or "Localhost";

    public static IEnumerable<JsonObject> Volumes(PodSecurityPod pod) => (pod.Spec.ArrayAt("volumes") ?? []).OfType<JsonObject>();

    public static IEnumerable<string> Strings(JsonArray? array) => (array ?? []).Select(n => n?.ToString() ?? "");

    private static bool AllowedAppArmorType(string type) => type is "RuntimeDefault" or "Localhost";

    private static bool AllowedAppArmorAnnotation(string value) =>
        value.Length == 0 || value == "runtime/default" || value.StartsWith("localhost/", StringComparison.Ordinal);

    /// <summary>check_sysctls.go: the safe set, grown in v1.27, v1.29 and v1.32.</summary>
    private static bool SafeSysctl(string name, PolicyVersion version) => name switch
    {
        "kernel.shm_rmid_forced" or "net.ipv4.ip_local_port_range" or "net.ipv4.tcp_syncookies" or "net.ipv4.ping_group_range" or "net.ipv4.ip_unprivileged_port_start" => true,
        "net.ipv4.ip_local_reserved_ports" => version.AtLeast(27),
        "net.ipv4.tcp_keepalive_time" or "net.ipv4.tcp_fin_timeout" or "net.ipv4.tcp_keepalive_intvl" or "net.ipv4.tcp_keepalive_probes" => version.AtLeast(29),
        "net.ipv4.tcp_rmem" or "net.ipv4.tcp_wmem" => version.AtLeast(32),
        _ => false,
    };
}
