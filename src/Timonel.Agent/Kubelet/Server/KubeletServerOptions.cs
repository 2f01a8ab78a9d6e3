using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>Where the kubelet's HTTPS API listens and with which certificates.</summary>
public sealed record KubeletServerOptions
{
    public const int DefaultPort = 10250;

    /// <summary>0.0.0.0:10250 by default; port 0 picks a free one (tests).</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Any, DefaultPort);

    /// <summary>The kubelet's serving certificate, signed by the cluster CA for the node's IP and hostname.</summary>
    public required X509Certificate2 ServingCertificate { get; init; }

    /// <summary>The cluster CA, which callers' client certificates must chain to.</summary>
    public required X509Certificate2 ClusterCa { get; init; }
}
