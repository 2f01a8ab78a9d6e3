using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>Raw HTTPS clients for a test cluster: what curl with the admin certificate or a bearer token would send.</summary>
public static class ApiHttp
{
    /// <summary>A client trusting only the cluster CA, authenticating with a client certificate or a bearer token.</summary>
    public static HttpClient Create(Uri baseAddress, X509Certificate2 clusterCa, X509Certificate2? clientCertificate = null, string? bearerToken = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaTrust.IsIssuedBy(clusterCa, certificate, errors),
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    /// <summary>A request body of JSON text.</summary>
    public static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    /// <summary>The response body as a JSON object, or null when it is not one.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
