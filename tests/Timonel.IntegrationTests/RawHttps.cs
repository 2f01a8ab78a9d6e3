using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>
/// Requests written byte for byte over TLS, for what HttpClient will not send: dot segments and escapes it would
/// normalise away, malformed chunking, a lower-case request line. The admin client certificate authenticates.
/// </summary>
public static class RawHttps
{
    /// <summary>Sends <paramref name="head"/> (request line and headers, without the closing blank line) and
    /// <paramref name="body"/>, and reads the answer until the server closes the connection.</summary>
    public static async Task<RawResponse> SendAsync(TestCluster cluster, string head, byte[]? body = null)
    {
        var host = cluster.Host;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.Url.Host, host.Url.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host.Url.Host,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaTrust.IsIssuedBy(host.Pki.CertificateAuthority, certificate, errors),
            ClientCertificates = new X509CertificateCollection { host.Pki.Admin },
        });
        var headBytes = Encoding.Latin1.GetBytes(head.TrimEnd('\r', '\n') + "\r\n" + (head.Contains("\nConnection:", StringComparison.OrdinalIgnoreCase) ? "" : "Connection: close\r\n") + "\r\n");
        try
        {
            await tls.WriteAsync(headBytes);
            if (body is not null)
            {
                await tls.WriteAsync(body);
            }

            await tls.FlushAsync();
        }
        catch (IOException)
        {
            // The server refused the request before reading all of it (a 431, say) and closed; its answer is read below.
        }

        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await tls.CopyToAsync(received, timeout.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A server that answers before reading the whole request may reset the connection after its answer.
        }

        return RawResponse.Parse(received.ToArray());
    }
}
