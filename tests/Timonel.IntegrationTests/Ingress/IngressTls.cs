using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.IntegrationTests.Ingress;

/// <summary>A TLS Secret for an Ingress host made with the real kubectl, and the certificate a listener serves for a server name.</summary>
public static class IngressTls
{
    /// <summary>A self-signed certificate for <paramref name="host"/>, valid from yesterday to tomorrow.</summary>
    public static X509Certificate2 SelfSigned(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary><c>kubectl create secret tls</c> of the certificate and its key.</summary>
    public static async Task CreateSecretAsync(Kubectl kubectl, string ns, string name, X509Certificate2 certificate)
    {
        var dir = Directory.CreateTempSubdirectory("timonel-tls-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "tls.crt"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(dir, "tls.key"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            (await kubectl.RunAsync("create", "secret", "tls", name, "-n", ns, "--cert", Path.Combine(dir, "tls.crt"), "--key", Path.Combine(dir, "tls.key"))).EnsureSuccess();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The certificate the listener on loopback <paramref name="port"/> presents for <paramref name="serverName"/> (SNI).</summary>
    public static async Task<X509Certificate2> ServedCertificateAsync(int port, string serverName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        X509Certificate2? served = null;
        // The test judges the certificate itself (self-signed by design), so the handshake only records it.
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            served = certificate is null ? null : new X509Certificate2(certificate);
            return served is not null;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName });
        return served!;
    }

    /// <summary>
    /// A handler that connects to 127.0.0.1 whatever the URL's host (an Ingress host no resolver knows), so SNI and
    /// the Host header still name it, and trusts only the certificate with <paramref name="thumbprint"/>.
    /// </summary>
    public static SocketsHttpHandler LoopbackHandler(string thumbprint) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint },
    };
}
