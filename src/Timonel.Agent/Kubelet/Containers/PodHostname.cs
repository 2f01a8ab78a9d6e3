using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// A pod's hostname and domain (the kubelet's GeneratePodHostNameAndDomain): spec.hostname or the pod's name cut to
/// the kernel's 63 characters, and <c>subdomain.namespace.svc.clusterDomain</c> when the pod has a subdomain.
/// </summary>
internal static class PodHostname
{
    public const int MaxLength = 63;

    /// <summary>The longest hostname the kernel takes when setHostnameAsFQDN puts the whole FQDN there.</summary>
    public const int MaxFqdnLength = 64;

    public static string Hostname(V1Pod pod)
    {
        var hostname = string.IsNullOrEmpty(pod.Spec.Hostname) ? pod.Metadata.Name : pod.Spec.Hostname;
        return hostname.Length <= MaxLength ? hostname : hostname[..MaxLength].TrimEnd('-', '.');
    }

    /// <summary>The pod's DNS domain, or "" without a subdomain.</summary>
    public static string Domain(V1Pod pod, string clusterDomain) =>
        string.IsNullOrEmpty(pod.Spec.Subdomain) ? "" : $"{pod.Spec.Subdomain}.{pod.Metadata.NamespaceProperty}.svc.{clusterDomain}";
}
