using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;

namespace Timonel.Agent.Joining;

/// <summary>
/// The kubelet API's serving certificate of a joined node, as the kubelet's serving certificate manager asks for it
/// (pkg/kubelet/certificate/kubelet.go): a CSR to kubernetes.io/kubelet-serving with CN system:node:NAME,
/// O system:nodes, the node's Hostname addresses as DNS names and its IP addresses as IP names, made as the node
/// itself so the cluster's approver can check them against its Node. Kept in DATA/agent as serving-kubelet.crt/.key
/// (K3s' names) and used again while valid and while it still names exactly the node's addresses.
/// </summary>
public static class KubeletServingCertificate
{
    public const string Signer = "kubernetes.io/kubelet-serving";

    /// <summary>An ECDSA key's usages (key encipherment is for RSA keys only, as the kubelet asks).</summary>
    public static readonly string[] Usages = ["digital signature", "server auth"];

    /// <summary>The saved certificate while it fits, else one issued through a CSR made with the node's own credential.</summary>
    public static async Task<X509Certificate2> ObtainAsync(ClusterConnection node, string nodeName, IReadOnlyList<V1NodeAddress> addresses, string directory, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var (dnsNames, ips) = AlternativeNames(addresses);
        var files = new NodeCertificateFiles(directory, "serving-kubelet");
        if (files.Load(saved => NodeCertificateFiles.ValidAMinuteMore(saved, time) && Names(saved, nodeName, dnsNames, ips)) is { } reused)
        {
            logger.LogInformation("using the kubelet serving certificate in {Path}", files.CertificatePath);
            return reused;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = node.CreateClient();
        var certificatePem = await CertificateSigning.RequestAsync(client, "csr-", CreateRequest(nodeName, dnsNames, ips, key), Signer, Usages, logger, time, cancellationToken);
        return await files.SaveAsync(key, certificatePem, cancellationToken);
    }

    /// <summary>The DNS and IP names for a node's addresses: Hostname and DNS ones as names, the rest as IPs.</summary>
    public static (IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IPs) AlternativeNames(IEnumerable<V1NodeAddress> addresses)
    {
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        foreach (var address in addresses)
        {
            if (IPAddress.TryParse(address.Address, out var ip))
            {
                if (!ips.Contains(ip))
                {
                    ips.Add(ip);
                }
            }
            else if (address.Address is { Length: > 0 } name && !dns.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                dns.Add(name);
            }
        }

        return (dns, ips);
    }

    /// <summary>The PEM certificate request: CN system:node:NAME, O system:nodes, the given alternative names.</summary>
    public static string CreateRequest(string nodeName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> ips, ECDsa key)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("system:nodes");
        subject.AddCommonName("system:node:" + nodeName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            names.AddDnsName(dns);
        }

        foreach (var ip in ips)
        {
            names.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequestPem();
    }

    /// <summary>Whether a certificate is the node's and names exactly these DNS names and IPs.</summary>
    public static bool Names(X509Certificate2 certificate, string nodeName, IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> ips)
    {
        if (certificate.GetNameInfo(X509NameType.SimpleName, false) != "system:node:" + nodeName)
        {
            return false;
        }

        var extension = certificate.Extensions.FirstOrDefault(e => e.Oid?.Value == "2.5.29.17") is { } raw ? new X509SubjectAlternativeNameExtension(raw.RawData) : null;
        var certificateDns = extension?.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var certificateIps = extension?.EnumerateIPAddresses().ToHashSet() ?? [];
        return certificateDns.SetEquals(dnsNames) && certificateIps.SetEquals(ips);
    }
}
