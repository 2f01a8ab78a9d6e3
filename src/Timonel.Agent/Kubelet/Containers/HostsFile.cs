using System.Text;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// The /etc/hosts the kubelet gives a pod's containers (makeHostsMount): on the pod network a managed file with
/// localhost, the pod's IPs with its hostname (and FQDN when it has a subdomain) and the hostAliases; on the host
/// network the node's own hosts file plus the hostAliases.
/// </summary>
internal static class HostsFile
{
    public const string ContainerPath = "/etc/hosts";

    /// <summary>The file's name in the pod directory, as upstream's.</summary>
    public const string FileName = "etc-hosts";

    private const string ManagedHeader = "# Kubernetes-managed hosts file.\n";
    private const string HostNetworkHeader = "# Kubernetes-managed hosts file (host network).\n";

    /// <summary>The managed content for a pod on the pod network.</summary>
    public static string Managed(IReadOnlyList<string> podIPs, string hostname, string domain, IEnumerable<V1HostAlias>? aliases)
    {
        var content = new StringBuilder(ManagedHeader)
            .Append("127.0.0.1\tlocalhost\n")
            .Append("::1\tlocalhost ip6-localhost ip6-loopback\n")
            .Append("fe00::0\tip6-localnet\n")
            .Append("fe00::0\tip6-mcastprefix\n")
            .Append("fe00::1\tip6-allnodes\n")
            .Append("fe00::2\tip6-allrouters\n");
        foreach (var ip in podIPs)
        {
            content.Append(domain.Length > 0 ? $"{ip}\t{hostname}.{domain}\t{hostname}\n" : $"{ip}\t{hostname}\n");
        }

        return content.Append(AliasEntries(aliases)).ToString();
    }

    /// <summary>The content for a pod on the host network: the node's hosts file under a header, then the aliases.</summary>
    public static string ForHostNetwork(string nodeHostsContent, IEnumerable<V1HostAlias>? aliases) =>
        HostNetworkHeader + nodeHostsContent + AliasEntries(aliases);

    /// <summary>Writes the pod's hosts file (mode 0644) and answers its path.</summary>
    public static string Write(V1Pod pod, ContainerContext context, string clusterDomain, string nodeHostsPath)
    {
        var content = pod.Spec.HostNetwork == true
            ? ForHostNetwork(File.ReadAllText(nodeHostsPath), pod.Spec.HostAliases)
            : Managed(context.PodIPs, PodHostname.Hostname(pod), PodHostname.Domain(pod, clusterDomain), pod.Spec.HostAliases);
        Directory.CreateDirectory(context.PodDirectory);
        var path = Path.Combine(context.PodDirectory, FileName);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    private static string AliasEntries(IEnumerable<V1HostAlias>? aliases)
    {
        var list = aliases?.ToList() ?? [];
        if (list.Count == 0)
        {
            return "";
        }

        var entries = new StringBuilder("\n# Entries added by HostAliases.\n");
        foreach (var alias in list)
        {
            entries.Append(alias.Ip).Append('\t').Append(string.Join('\t', alias.Hostnames ?? [])).Append('\n');
        }

        return entries.ToString();
    }
}
