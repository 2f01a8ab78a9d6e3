using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Timonel.IntegrationTests;

/// <summary>A kubeconfig of its own for a client certificate the cluster CA issued: how a kubelet talks to the server.</summary>
public static class ClientCertificateKubeconfig
{
    /// <summary>Writes the kubeconfig under the cluster's data dir and returns its path.</summary>
    public static string Write(TestCluster cluster, X509Certificate2 certificate, string user)
    {
        static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        using var key = certificate.GetECDsaPrivateKey()!;
        var directory = Path.Combine(cluster.DataDir, "user-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "kubeconfig.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: timonel
              cluster:
                server: {cluster.Host.Url.ToString().TrimEnd('/')}
                certificate-authority-data: {Base64(cluster.Host.Pki.CertificateAuthority.ExportCertificatePem())}
            users:
            - name: {user}
              user:
                client-certificate-data: {Base64(certificate.ExportCertificatePem())}
                client-key-data: {Base64(key.ExportECPrivateKeyPem())}
            contexts:
            - name: {user}
              context:
                cluster: timonel
                user: {user}
            current-context: {user}
            """);
        return path;
    }
}
