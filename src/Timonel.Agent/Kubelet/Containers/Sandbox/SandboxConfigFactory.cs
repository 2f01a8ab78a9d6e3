using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers.Sandbox;

/// <summary>
/// <see cref="ISandboxConfigFactory"/> as kuberuntime's generatePodSandboxConfig: metadata, labels (the pod's plus
/// the kubelet's) and annotations, hostname (none on the host network), log directory
/// <c>root/namespace_name_uid</c>, DNS by dnsPolicy, port mappings, cgroup parent by QoS class, namespaces,
/// sysctls and the pod-level security context.
/// </summary>
public sealed class SandboxConfigFactory : ISandboxConfigFactory
{
    private readonly SandboxConfigOptions _options;
    private readonly PodDns _dns;

    public SandboxConfigFactory(SandboxConfigOptions options)
    {
        _options = options;
        _dns = new PodDns(options);
    }

    /// <summary>Throws <see cref="ContainerConfigException"/> when setHostnameAsFQDN makes a hostname the kernel cannot take.</summary>
    public PodSandboxConfig Create(V1Pod pod, uint attempt)
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata
            {
                Name = pod.Metadata.Name,
                Namespace = pod.Metadata.NamespaceProperty,
                Uid = pod.Metadata.Uid,
                Attempt = attempt,
            },
            Hostname = pod.Spec.HostNetwork == true ? "" : KernelHostname(pod),
            LogDirectory = LogDirectory(pod),
            DnsConfig = _dns.For(pod),
            Linux = LinuxConfig(pod),
        };
        config.Labels.Add(pod.Metadata.Labels ?? new Dictionary<string, string>());
        config.Labels[KubeletLabels.PodName] = pod.Metadata.Name;
        config.Labels[KubeletLabels.PodNamespace] = pod.Metadata.NamespaceProperty;
        config.Labels[KubeletLabels.PodUid] = pod.Metadata.Uid;
        config.Annotations.Add(pod.Metadata.Annotations ?? new Dictionary<string, string>());
        config.PortMappings.AddRange(PodPortMappings.Of(pod));
        return config;
    }

    /// <summary>The pod's log directory (BuildPodLogsDirectory).</summary>
    public string LogDirectory(V1Pod pod) =>
        Path.Combine(_options.PodLogsRoot, $"{pod.Metadata.NamespaceProperty}_{pod.Metadata.Name}_{pod.Metadata.Uid}");

    // The hostname, or the FQDN with setHostnameAsFQDN (util.GetNodenameForKernel).
    private string KernelHostname(V1Pod pod)
    {
        var hostname = PodHostname.Hostname(pod);
        var domain = PodHostname.Domain(pod, _options.ClusterDomain);
        if (pod.Spec.SetHostnameAsFQDN != true || domain.Length == 0)
        {
            return hostname;
        }

        var fqdn = $"{hostname}.{domain}";
        return fqdn.Length <= PodHostname.MaxFqdnLength
            ? fqdn
            : throw new ContainerConfigException($"failed to construct FQDN from pod hostname and cluster domain, FQDN {fqdn} is too long ({PodHostname.MaxFqdnLength} characters is the max, {fqdn.Length} characters requested)");
    }

    private LinuxPodSandboxConfig LinuxConfig(V1Pod pod)
    {
        var podContext = pod.Spec.SecurityContext;
        var security = new LinuxSandboxSecurityContext
        {
            NamespaceOptions = PodNamespaces.For(pod),
            Privileged = (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).Any(c => c.SecurityContext?.Privileged == true),

            // The sandbox only holds namespaces: the least privileged profile keeps pod-level profiles usable.
            Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
        };
        if (podContext?.RunAsUser is { } uid)
        {
            security.RunAsUser = new Int64Value { Value = uid };
        }

        if (podContext?.RunAsGroup is { } gid)
        {
            security.RunAsGroup = new Int64Value { Value = gid };
        }

        security.SupplementalGroups.AddRange(PodSupplementalGroups.Of(pod));
        var linux = new LinuxPodSandboxConfig
        {
            CgroupParent = PodCgroupParent.For(pod, _options.CgroupRoot),
            SecurityContext = security,
        };
        foreach (var sysctl in podContext?.Sysctls ?? [])
        {
            linux.Sysctls[Sysctls.DotSeparated(sysctl.Name)] = sysctl.Value;
        }

        return linux;
    }
}
