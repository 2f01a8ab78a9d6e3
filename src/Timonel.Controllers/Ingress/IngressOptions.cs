using System.Net;

namespace Timonel.Controllers.Ingress;

/// <summary>Where the Ingress proxy listens and which addresses it reports in the Ingresses' status.</summary>
public sealed record IngressOptions
{
    public const int DefaultHttpPort = 80;
    public const int DefaultHttpsPort = 443;

    public int HttpPort { get; init; } = DefaultHttpPort;

    public int HttpsPort { get; init; } = DefaultHttpsPort;

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>
    /// This server's addresses: the first is its endpoint in the Ingress Service; all are written to the Ingresses'
    /// status.loadBalancer.ingress (kubectl's ADDRESS column) while that Service has no load-balancer address.
    /// </summary>
    public IReadOnlyList<string> StatusAddresses { get; init; } = [];
}
