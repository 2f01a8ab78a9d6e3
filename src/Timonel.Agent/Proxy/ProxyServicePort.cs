using k8s.Models;

namespace Timonel.Agent.Proxy;

/// <summary>
/// What the proxy needs of one port of one Service (upstream's BaseServicePortInfo), IPv4 only: the addresses that
/// capture traffic and the policies that pick its endpoints.
/// </summary>
public sealed record ProxyServicePort
{
    /// <summary>sessionAffinityConfig.clientIP.timeoutSeconds' default (3 hours).</summary>
    public const int DefaultAffinityTimeoutSeconds = 10800;

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The port's name; empty for a Service's single unnamed port.</summary>
    public required string PortName { get; init; }

    /// <summary>tcp, udp or sctp, as nft spells them.</summary>
    public required string Protocol { get; init; }

    public required string ClusterIp { get; init; }

    public required int Port { get; init; }

    /// <summary>0 when the Service has none.</summary>
    public int NodePort { get; init; }

    public IReadOnlyList<string> ExternalIps { get; init; } = [];

    /// <summary>status.loadBalancer.ingress IPs that capture traffic (ipMode VIP or unset).</summary>
    public IReadOnlyList<string> LoadBalancerIps { get; init; } = [];

    public IReadOnlyList<string> LoadBalancerSourceRanges { get; init; } = [];

    /// <summary>The ClientIP affinity timeout in seconds; null without session affinity.</summary>
    public int? AffinityTimeoutSeconds { get; init; }

    public bool ExternalPolicyLocal { get; init; }

    public bool InternalPolicyLocal { get; init; }

    /// <summary>"namespace/name:port", upstream's ServicePortName string.</summary>
    public string Key => $"{Namespace}/{Name}:{PortName}";

    public bool ExternallyAccessible => NodePort != 0 || ExternalIps.Count > 0 || LoadBalancerIps.Count > 0;

    /// <summary>Cluster endpoints serve internal traffic under the Cluster policy, and short-circuited pod traffic to external addresses.</summary>
    public bool UsesClusterEndpoints => !InternalPolicyLocal || ExternallyAccessible;

    public bool UsesLocalEndpoints => InternalPolicyLocal || (ExternalPolicyLocal && ExternallyAccessible);

    /// <summary>
    /// The Service's ports the proxy handles; none for headless and ExternalName Services, those without an IPv4
    /// cluster IP, and those another proxy claims (the service.kubernetes.io/service-proxy-name label).
    /// </summary>
    public static IEnumerable<ProxyServicePort> Of(V1Service service)
    {
        var spec = service.Spec;
        if (spec is null || spec.Type == "ExternalName" || service.Metadata.Labels?.ContainsKey(ProxyLabels.ServiceProxyName) == true)
        {
            yield break;
        }

        var clusterIp = (spec.ClusterIPs is { Count: > 0 } ips ? ips : [spec.ClusterIP ?? ""]).FirstOrDefault(IsIPv4);
        if (clusterIp is null)
        {
            yield break;
        }

        var externalPolicyLocal = spec.Type is "NodePort" or "LoadBalancer" && spec.ExternalTrafficPolicy == "Local";
        int? affinity = spec.SessionAffinity == "ClientIP"
            ? spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? DefaultAffinityTimeoutSeconds
            : null;
        var loadBalancerIps = (service.Status?.LoadBalancer?.Ingress ?? [])
            .Where(i => i.IpMode is null or "VIP" && IsIPv4(i.Ip))
            .Select(i => i.Ip)
            .ToList();
        foreach (var port in spec.Ports ?? [])
        {
            var servicePort = new ProxyServicePort
            {
                Namespace = service.Metadata.NamespaceProperty ?? "default",
                Name = service.Metadata.Name,
                PortName = port.Name ?? "",
                Protocol = (port.Protocol ?? "TCP").ToLowerInvariant(),
                ClusterIp = clusterIp,
                Port = port.Port,
                NodePort = port.NodePort ?? 0,
                ExternalIps = [.. (spec.ExternalIPs ?? []).Where(IsIPv4)],
                LoadBalancerIps = loadBalancerIps,
                LoadBalancerSourceRanges = [.. (spec.LoadBalancerSourceRanges ?? []).Select(r => r.Trim()).Where(r => r.Length > 0 && !r.Contains(':', StringComparison.Ordinal))],
                AffinityTimeoutSeconds = affinity,
                InternalPolicyLocal = spec.InternalTrafficPolicy == "Local",
            };
            yield return servicePort with { ExternalPolicyLocal = externalPolicyLocal && servicePort.ExternallyAccessible };
        }
    }

    private static bool IsIPv4(string? ip) =>
        System.Net.IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
}
