namespace Timonel.Agent.Proxy;

/// <summary>
/// Names of the per-Service chains and sets, upstream's scheme: a prefix, 8 base32 characters of the SHA-256 of the
/// rest (so names that differ in one digit still look different), then "namespace/name/protocol/port" and, for an
/// endpoint, "__ip/port". The slash, allowed in nft names but not in Kubernetes names, tells them from the fixed chains.
/// </summary>
public static class ProxyChainNames
{
    // nft's NFT_NAME_MAXLEN is 256 with the terminating zero; the longest prefix below is 16 characters.
    private const int BaseLengthMax = 255 - 16;

    public static string Cluster(ProxyServicePort port) => "service-" + ServiceBase(port);

    public static string Local(ProxyServicePort port) => "local-" + ServiceBase(port);

    public static string External(ProxyServicePort port) => "external-" + ServiceBase(port);

    public static string Firewall(ProxyServicePort port) => "firewall-" + ServiceBase(port);

    public static string Endpoint(ProxyServicePort port, ProxyEndpoint endpoint) => "endpoint-" + EndpointBase(port, endpoint);

    public static string Affinity(ProxyServicePort port, ProxyEndpoint endpoint) => "affinity-" + EndpointBase(port, endpoint);

    /// <summary>Whether a chain is one of the per-Service ones (they are the only names with a slash).</summary>
    public static bool IsServiceChain(string chain) => chain.Contains('/', StringComparison.Ordinal);

    private static string ServiceBase(ProxyServicePort port) =>
        HashAndTruncate($"{port.Namespace}/{port.Name}/{port.Protocol}/{port.PortName}");

    private static string EndpointBase(ProxyServicePort port, ProxyEndpoint endpoint) =>
        HashAndTruncate($"{port.Namespace}/{port.Name}/{port.Protocol}/{port.PortName}__{endpoint.Ip}/{endpoint.Port}");

    private static string HashAndTruncate(string name)
    {
        var named = ChainHash.Base32(name, 8) + "-" + name;
        return named.Length > BaseLengthMax ? named[..(BaseLengthMax - 3)] + "..." : named;
    }
}
