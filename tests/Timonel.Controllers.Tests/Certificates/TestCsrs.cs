using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s.Models;

namespace Timonel.Controllers.Tests.Certificates;

/// <summary>CertificateSigningRequests over real PEM requests, as kubelets and users send them.</summary>
internal static class TestCsrs
{
    public static V1CertificateSigningRequest Csr(string name, string signer, string subject, string[] usages, string username, int? expirationSeconds = null, string? approval = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var csr = new V1CertificateSigningRequest
        {
            Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "5" },
            Spec = new V1CertificateSigningRequestSpec
            {
                Request = System.Text.Encoding.UTF8.GetBytes(request.CreateSigningRequestPem()),
                SignerName = signer,
                Usages = usages,
                Username = username,
                Groups = ["system:bootstrappers", "system:authenticated"],
                ExpirationSeconds = expirationSeconds,
            },
            Status = new V1CertificateSigningRequestStatus { Conditions = [] },
        };
        if (approval is not null)
        {
            csr.Status.Conditions.Add(new V1CertificateSigningRequestCondition { Type = approval, Status = "True", Reason = "Test" });
        }

        return csr;
    }

    public static V1CertificateSigningRequest KubeletClient(string name, string username, string? approval = null, int? expirationSeconds = null) =>
        Csr(name, "kubernetes.io/kube-apiserver-client-kubelet", "O=system:nodes, CN=system:node:n1", ["digital signature", "client auth"], username, expirationSeconds, approval);

    /// <summary>A kubelet serving CSR as a node sends it: CN system:node:NAME, O system:nodes, its names and addresses as SANs.</summary>
    public static V1CertificateSigningRequest KubeletServing(string name, string node, string[] dnsNames, string[] ips, string? username = null, string[]? usages = null, string? email = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=system:nodes, CN=system:node:{node}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            names.AddDnsName(dns);
        }

        foreach (var ip in ips)
        {
            names.AddIpAddress(System.Net.IPAddress.Parse(ip));
        }

        if (email is not null)
        {
            names.AddEmailAddress(email);
        }

        request.CertificateExtensions.Add(names.Build());
        return new V1CertificateSigningRequest
        {
            Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "5" },
            Spec = new V1CertificateSigningRequestSpec
            {
                Request = System.Text.Encoding.UTF8.GetBytes(request.CreateSigningRequestPem()),
                SignerName = "kubernetes.io/kubelet-serving",
                Usages = usages ?? ["digital signature", "server auth"],
                Username = username ?? "system:node:" + node,
                Groups = ["system:nodes", "system:authenticated"],
            },
            Status = new V1CertificateSigningRequestStatus { Conditions = [] },
        };
    }

    public static X509Certificate2 Ca(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }
}
