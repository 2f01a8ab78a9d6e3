using Yarp.ReverseProxy.Configuration;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// What the proxy serves from, replaced together by each rebuild: YARP's routes and clusters, the certificates by
/// SNI, and which rules own each host.
/// </summary>
public sealed record IngressServing(InMemoryConfigProvider Routes, IngressCertificates Certificates, IngressHostOwners HostOwners)
{
    public IngressServing()
        : this(new InMemoryConfigProvider([], []), new IngressCertificates(), new IngressHostOwners())
    {
    }
}
