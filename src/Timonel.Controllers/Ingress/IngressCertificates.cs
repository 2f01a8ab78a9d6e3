using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// The serving certificates by host (SNI): an exact host's, else the wildcard's covering it, else a self-signed
/// default, as ingress-nginx serves its "Fake Certificate" for hosts without a Secret. Replaced as a whole when the
/// Ingresses or their Secrets change; reads need no lock.
/// </summary>
public sealed class IngressCertificates
{
    private volatile IReadOnlyDictionary<string, X509Certificate2> _byHost = new Dictionary<string, X509Certificate2>();

    public X509Certificate2 Default { get; } = SelfSigned();

    /// <summary>The certificate for the TLS client hello's server name (none: the default).</summary>
    public X509Certificate2 Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return Default;
        }

        var byHost = _byHost;
        var host = serverName.ToLowerInvariant();
        if (byHost.TryGetValue(host, out var exact))
        {
            return exact;
        }

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && byHost.TryGetValue("*" + host[dot..], out var wildcard) ? wildcard : Default;
    }

    public void Replace(IReadOnlyDictionary<string, X509Certificate2> byHost) => _byHost = byHost;

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Kubernetes Ingress Controller Fake Certificate, O=Acme Co", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("ingress.local");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }
}
