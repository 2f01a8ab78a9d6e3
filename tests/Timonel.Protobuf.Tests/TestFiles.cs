using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Protobuf.Tests;

/// <summary>A self-signed certificate and key on disk, for `kubectl create secret tls`.</summary>
internal static class TestFiles
{
    private static readonly Lazy<(string Cert, string Key)> _files = new(Write);

    public static string CertPath => _files.Value.Cert;

    public static string KeyPath => _files.Value.Key;

    private static (string, string) Write()
    {
        var directory = Directory.CreateTempSubdirectory("timonel-protobuf-tls-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=timonel-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(directory, "tls.crt");
        var keyPath = Path.Combine(directory, "tls.key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
