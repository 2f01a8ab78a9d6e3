using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Timonel.Client;

namespace Timonel.Agent.Joining;

/// <summary>
/// How an agent comes to trust the server it joins, as a K3s agent does (pkg/clientaccess/token.go): a secure token
/// K10&lt;sha256&gt;::server:&lt;password&gt; names the hash of the server's CA bundle; the agent fetches /cacerts without
/// verifying the server, and trusts the bundle only if its SHA-256 matches. A short token (the password alone) names no
/// CA, so the CA must be given as a file.
/// </summary>
public static class ServerTrust
{
    private const string SecurePrefix = "K10";

    /// <summary>
    /// The connection an agent uses: the server, its CA and the token as the bearer credential. The join token
    /// authenticates as system:masters today; nodes get their own identities (system:node:&lt;name&gt;) with RBAC later.
    /// </summary>
    /// <exception cref="InvalidOperationException">The CA cannot be trusted; the message says why.</exception>
    public static async Task<ClusterConnection> ConnectAsync(Uri server, string token, string? caFile, CancellationToken cancellationToken)
    {
        X509Certificate2 ca;
        if (caFile is not null)
        {
            ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caFile, cancellationToken));
        }
        else if (ParseHash(token) is { } hash)
        {
            var bundle = await FetchCaBundleAsync(server, cancellationToken);
            ca = Verify(bundle, hash);
        }
        else
        {
            throw new InvalidOperationException("the token holds no CA hash (it is not of the form K10<sha256>::server:<password>): give the server's CA with --server-ca FILE, or use the full token from the server's data dir (token file)");
        }

        return new ClusterConnection(server, ca, BearerToken: token);
    }

    /// <summary>The CA hash of a K10 token, or null for a short token.</summary>
    public static string? ParseHash(string token)
    {
        var separator = token.IndexOf("::", StringComparison.Ordinal);
        if (!token.StartsWith(SecurePrefix, StringComparison.Ordinal) || separator < 0)
        {
            return null;
        }

        return token[SecurePrefix.Length..separator];
    }

    /// <summary>The first certificate of <paramref name="bundle"/> if the bundle's SHA-256 is <paramref name="hash"/>.</summary>
    public static X509Certificate2 Verify(byte[] bundle, string hash)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(bundle));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(hash.ToLowerInvariant())))
        {
            // K3s' words (pkg/clientaccess/token.go).
            throw new InvalidOperationException($"token CA hash does not match the server CA hash: {hash} != {actual}");
        }

        return X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(bundle));
    }

    // The bundle is fetched without verifying the server: its hash, not TLS, says whether to trust it.
    private static async Task<byte[]> FetchCaBundleAsync(Uri server, CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/cacerts"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{server}: GET /cacerts answered {(int)response.StatusCode}; cannot verify the server's CA against the token");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }
}
