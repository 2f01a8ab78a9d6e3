using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Timonel.Testing;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// What a client needs from the server's kubeconfig.yaml: the CA to trust and the admin client certificate. Makes
/// HTTP handlers that present the certificate and accept only a server certificate issued by that CA.
/// </summary>
internal sealed class ClusterCredentials : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _client;

    private ClusterCredentials(X509Certificate2 ca, X509Certificate2 client)
    {
        _ca = ca;
        _client = client;
    }

    /// <summary>Reads the three base64 fields Timonel writes (KubeconfigWriter); a full YAML parser adds nothing here.</summary>
    public static ClusterCredentials Load(string kubeconfigPath)
    {
        var fields = File.ReadAllLines(kubeconfigPath)
            .Select(line => line.Trim().Split(": ", 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First()[1], StringComparer.Ordinal);
        string Pem(string field) => Encoding.ASCII.GetString(Convert.FromBase64String(fields[field]));
        var ca = X509Certificate2.CreateFromPem(Pem("certificate-authority-data"));
        var client = X509Certificate2.CreateFromPem(Pem("client-certificate-data"), Pem("client-key-data"));
        return new ClusterCredentials(ca, client);
    }

    /// <summary>
    /// A handler with its own connection pool. With <paramref name="multipleConnections"/> and HTTP/2, more
    /// connections are opened once one reaches the server's stream limit (Kestrel allows 100 streams per connection),
    /// so a thousand watches do not queue; without it every request of the handler shares one connection.
    /// </summary>
    public SocketsHttpHandler CreateHandler(bool multipleConnections = true) => new()
    {
        EnableMultipleHttp2Connections = multipleConnections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [_client],
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaTrust.IsIssuedBy(_ca, certificate, errors),
        },
    };

    public void Dispose()
    {
        _ca.Dispose();
        _client.Dispose();
    }
}
