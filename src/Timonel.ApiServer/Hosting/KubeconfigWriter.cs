using System.Security.Cryptography.X509Certificates;
using System.Text;
using Timonel.ApiServer.Pki;

namespace Timonel.ApiServer.Hosting;

/// <summary>Writes the admin kubeconfig (as K3s' /etc/rancher/k3s/k3s.yaml): cluster, user and context "default".</summary>
public static class KubeconfigWriter
{
    public static void Write(string path, ClusterPki pki, string serverUrl)
    {
        var ca = Base64Pem(pki.CertificateAuthority.ExportCertificatePem());
        var cert = Base64Pem(pki.Admin.ExportCertificatePem());
        using var key = pki.Admin.GetECDsaPrivateKey()!;
        var keyPem = Base64Pem(key.ExportECPrivateKeyPem());
        var yaml = $"""
            apiVersion: v1
            clusters:
            - cluster:
                certificate-authority-data: {ca}
                server: {serverUrl}
              name: default
            contexts:
            - context:
                cluster: default
                user: default
              name: default
            current-context: default
            kind: Config
            preferences: {"{}"}
            users:
            - name: default
              user:
                client-certificate-data: {cert}
                client-key-data: {keyPem}

            """;
        var temp = path + ".tmp";
        File.WriteAllText(temp, yaml);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }

    private static string Base64Pem(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    /// <summary>The CA certificate's SHA-256, hex, as K3s puts it into a secure join token (K10&lt;hash&gt;::...).</summary>
    public static string CaHash(X509Certificate2 ca) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n")));
}
