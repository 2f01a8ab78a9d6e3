using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Client.Hosts;

namespace Timonel.Agent.Kubelet.Containers.Sandbox;

/// <summary>
/// A pod's resolver configuration by dnsPolicy (kubelet/network/dns GetPodDNS): ClusterFirst (and
/// ClusterFirstWithHostNet) resolve with the cluster DNS, searching the pod's namespace, svc and the cluster domain
/// before the node's domains, with ndots:5; Default, and ClusterFirst on the host network, take the node's
/// resolv.conf; None starts empty. The pod's dnsConfig is merged on top, within the resolver's limits.
/// </summary>
internal sealed class PodDns
{
    public const int MaxNameservers = 3;
    public const int MaxSearchPaths = 32;
    public const int MaxSearchListChars = 2048;

    private readonly SandboxConfigOptions _options;

    public PodDns(SandboxConfigOptions options) => _options = options;

    public DNSConfig For(V1Pod pod)
    {
        var (servers, searches, options) = Base(pod);
        if (pod.Spec.DnsConfig is { } extra)
        {
            servers = servers.Concat(extra.Nameservers ?? []).Distinct(StringComparer.Ordinal).ToList();
            searches = searches.Concat(extra.Searches ?? []).Distinct(StringComparer.Ordinal).ToList();
            options = MergeOptions(options, extra.Options ?? []);
        }

        var config = new DNSConfig();
        config.Servers.AddRange(servers.Take(MaxNameservers));
        config.Searches.AddRange(FitSearches(searches));
        config.Options.AddRange(options);
        return config;
    }

    private (IReadOnlyList<string> Servers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options) Base(V1Pod pod)
    {
        var hostNetwork = pod.Spec.HostNetwork == true;
        var policy = string.IsNullOrEmpty(pod.Spec.DnsPolicy) ? "ClusterFirst" : pod.Spec.DnsPolicy;
        if (policy == "None")
        {
            return ([], [], []);
        }

        var host = ResolverConfig.Read(_options.ResolvConf);
        var clusterFirst = policy == "ClusterFirstWithHostNet" || (policy == "ClusterFirst" && !hostNetwork);
        if (!clusterFirst || _options.ClusterDns.Count == 0)
        {
            return (host.Nameservers, host.Searches, host.Options);
        }

        var domain = _options.ClusterDomain;
        IReadOnlyList<string> clusterSearches = domain.Length == 0
            ? host.Searches
            : new[] { $"{pod.Metadata.NamespaceProperty}.svc.{domain}", $"svc.{domain}", domain }.Concat(host.Searches).Distinct(StringComparer.Ordinal).ToList();
        return (_options.ClusterDns, clusterSearches, ["ndots:5"]);
    }

    // Options by name, the pod's replacing the base's value ("ndots:2" over "ndots:5").
    private static List<string> MergeOptions(IReadOnlyList<string> existing, IEnumerable<V1PodDNSConfigOption> extra)
    {
        var merged = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in existing)
        {
            var colon = option.IndexOf(':');
            merged[colon < 0 ? option : option[..colon]] = colon < 0 ? "" : option[(colon + 1)..];
        }

        foreach (var option in extra)
        {
            merged[option.Name] = option.Value ?? "";
        }

        return merged.Select(pair => pair.Value.Length == 0 ? pair.Key : $"{pair.Key}:{pair.Value}").ToList();
    }

    private static IEnumerable<string> FitSearches(IReadOnlyList<string> searches)
    {
        var length = 0;
        foreach (var search in searches.Take(MaxSearchPaths))
        {
            length += search.Length + (length == 0 ? 0 : 1);
            if (length > MaxSearchListChars)
            {
                yield break;
            }

            yield return search;
        }
    }
}
