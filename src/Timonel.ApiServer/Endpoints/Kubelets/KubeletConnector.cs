using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Timonel.Api.Certificates;

namespace Timonel.ApiServer.Endpoints.Kubelets;

/// <summary>
/// The API server's authenticated channel to kubelets (kube-apiserver's --kubelet-client-certificate and
/// --kubelet-certificate-authority): TLS presenting the API server's kubelet client certificate, and accepting only a
/// kubelet serving certificate signed by the cluster CA for the address dialled.
/// </summary>
public sealed class KubeletConnector : IDisposable
{
    private readonly X509Certificate2 _clientCertificate;
    private readonly X509Certificate2 _ca;

    public KubeletConnector(X509Certificate2 clientCertificate, X509Certificate2 ca)
    {
        _clientCertificate = clientCertificate;
        _ca = ca;
        Http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                RemoteCertificateValidationCallback = IsKubeletCertificate,
            },
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            // Followed logs last as long as the client keeps reading.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Plain requests (container logs).</summary>
    public HttpClient Http { get; }

    /// <summary>A TLS stream to the kubelet at <paramref name="target"/>, for requests that upgrade to a stream protocol.</summary>
    public async Task<Stream> ConnectAsync(Uri target, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(target.Host, target.Port, cancellationToken);
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = target.Host,
                ClientCertificates = [_clientCertificate],
                RemoteCertificateValidationCallback = IsKubeletCertificate,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, cancellationToken);
            return tls;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private bool IsKubeletCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        CertificateAuthorityChain.IsServerCertificate(certificate, errors, _ca);

    public void Dispose() => Http.Dispose();
}
