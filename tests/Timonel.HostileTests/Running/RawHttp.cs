using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Timonel.Testing;

namespace Timonel.HostileTests.Running;

/// <summary>
/// Writes a request's bytes as they are to a fresh TLS connection (HTTP/1.1, the admin client certificate) and reads
/// the answer until the server closes or stays quiet: framing HttpClient would never produce.
/// </summary>
internal sealed class RawHttp(Uri server, X509Certificate2 clusterCa, X509Certificate2 clientCertificate)
{
    private static readonly TimeSpan _firstByte = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _quiet = TimeSpan.FromMilliseconds(300);

    public async Task<Answer> SendAsync(byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, errors) => CaTrust.IsIssuedBy(clusterCa, certificate, errors));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = server.Host,
            ClientCertificates = [clientCertificate],
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        await tls.WriteAsync(request);
        await tls.FlushAsync();
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            using var timeout = new CancellationTokenSource(received.Length == 0 ? _firstByte : _quiet);
            int read;
            try
            {
                read = await tls.ReadAsync(buffer, timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
        }

        return Parse(Encoding.UTF8.GetString(received.ToArray()));
    }

    private static Answer Parse(string text)
    {
        // "HTTP/1.1 400 Bad Request\r\n..." : the code is the second word of the first line.
        var firstLine = text.Split("\r\n", 2)[0].Split(' ');
        if (firstLine.Length < 2 || !firstLine[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(firstLine[1], out var code))
        {
            return Answer.None(text.Length == 0 ? "closed without a response" : "not an HTTP response: " + HostileCase.Excerpt(text, 100));
        }

        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return new Answer(code, bodyStart < 0 ? "" : text[(bodyStart + 4)..]);
    }
}
