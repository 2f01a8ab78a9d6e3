using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Api.Certificates;

/// <summary>
/// Whether a certificate chains to the cluster CA alone (the CA as the only trusted root, no revocation lists on a
/// private CA): the one check behind the API server's client certificates, the kubelet's callers and the TLS peers
/// the cluster's components dial.
/// </summary>
public static class CertificateAuthorityChain
{
    /// <summary>id-kp-clientAuth: a client certificate must be meant for TLS client authentication.</summary>
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="ca"/>.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca) => Builds(certificate, ca, null);

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="ca"/> and is meant for client authentication.</summary>
    public static bool IsClientCertificate(X509Certificate2 certificate, X509Certificate2 ca) => Builds(certificate, ca, ClientAuthentication);

    /// <summary>
    /// A TLS validation verdict for a server's certificate: only the chain is judged against <paramref name="ca"/>;
    /// a name mismatch or no certificate still fails.
    /// </summary>
    public static bool IsServerCertificate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        if (certificate is X509Certificate2 full)
        {
            return IsIssuedBy(full, ca);
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return IsIssuedBy(leaf, ca);
    }

    private static bool Builds(X509Certificate2 certificate, X509Certificate2 ca, Oid? usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (usage is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(usage);
        }

        return chain.Build(certificate);
    }
}
