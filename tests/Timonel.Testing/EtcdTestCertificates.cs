using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Testing;

/// <summary>
/// A throwaway PKI for an etcd served over TLS: a CA, a serving certificate for 127.0.0.1 and a client certificate,
/// written as PEM files into a folder, as an operator would hand them to etcd and to <c>--datastore-*file</c>.
/// </summary>
public sealed record EtcdTestCertificates(string CaFile, string ServerCertFile, string ServerKeyFile, string ClientCertFile, string ClientKeyFile)
{
    public static EtcdTestCertificates Create(string directory)
    {
        Directory.CreateDirectory(directory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=timonel-test-etcd-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var certificates = new EtcdTestCertificates(
            Path.Combine(directory, "ca.crt"),
            Path.Combine(directory, "server.crt"),
            Path.Combine(directory, "server.key"),
            Path.Combine(directory, "client.crt"),
            Path.Combine(directory, "client.key"));
        File.WriteAllText(certificates.CaFile, ca.ExportCertificatePem());
        // Leaves must lie inside the CA's validity; one "now" for all three keeps them there.
        Issue(ca, now, "CN=etcd", server: true, certificates.ServerCertFile, certificates.ServerKeyFile);
        Issue(ca, now, "CN=timonel", server: false, certificates.ClientCertFile, certificates.ClientKeyFile);
        return certificates;
    }

    private static void Issue(X509Certificate2 ca, DateTimeOffset now, string subject, bool server, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial: newer Go (etcd) refuses negative ones
        using var certificate = request.Create(ca, now.AddMinutes(-4), now.AddDays(1).AddMinutes(-1), serial);
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
