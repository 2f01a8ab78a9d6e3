using System.Security.Cryptography.X509Certificates;
using k8s.Models;

namespace Timonel.Agent;

/// <summary>
/// Where the kubelet API's serving certificate comes from, given the addresses the node registered with: a server's
/// own agent has it signed on the spot by the CA it holds; a joined agent asks the cluster through a CSR.
/// </summary>
public delegate Task<X509Certificate2> ServingCertificateSource(IReadOnlyList<V1NodeAddress> addresses, CancellationToken cancellationToken);
