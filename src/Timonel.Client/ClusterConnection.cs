using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Timonel.Client;

/// <summary>
/// How a component reaches the API server: its URL, the CA that signed its serving certificate, and the component's
/// credentials (a client certificate with its private key, or a bearer token). In process the server hands these over
/// directly: KubernetesClient's kubeconfig loader first builds a YAML type map by reflecting over every model class of
/// the client, which left ~13 MiB resident (docs/benchmarks.md) for a file whose three fields the server itself wrote.
/// </summary>
public sealed record ClusterConnection(Uri Server, X509Certificate2 CertificateAuthority, X509Certificate2? ClientCertificate = null, string? BearerToken = null)
{
    /// <summary>A new client; the caller disposes it.</summary>
    public Kubernetes CreateClient()
    {
        var configuration = new KubernetesClientConfiguration
        {
            Host = Server.ToString(),
            SslCaCerts = [CertificateAuthority],
            AccessToken = BearerToken,
        };
        if (ClientCertificate is { } certificate)
        {
            configuration.ClientCertificateData = Base64Pem(certificate.ExportCertificatePem());
            configuration.ClientCertificateKeyData = Base64Pem(PrivateKeyPem(certificate));
        }

        return new Kubernetes(configuration);
    }

    private static string Base64Pem(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    // The cluster PKI issues ECDSA keys only (ClusterPki).
    private static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the client certificate has no ECDSA private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }
}
