using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Timonel.Api.Certificates;
using Timonel.Client;

namespace Timonel.Agent.NodeAgent;

/// <summary>
/// Lease renewals without the generic client: 5,000 nodes renew 500 times a second, so each renewal is one small
/// body written straight to bytes and one scan of the answer for its resourceVersion (the generic client serialised
/// and parsed whole objects, and took 0.35 cores at 5,000 nodes). HTTP/1.1 on a few kept-alive connections: .NET's
/// HTTP/2 client spends more CPU per request.
/// </summary>
internal sealed class LeaseWriter : IDisposable
{
    private static readonly MediaTypeHeaderValue _json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _server;
    private readonly AuthenticationHeaderValue? _authorization;

    public LeaseWriter(ClusterConnection connection)
    {
        _server = connection.Server;
        _authorization = connection.BearerToken is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
        var ca = connection.CertificateAuthority;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => CertificateAuthorityChain.IsServerCertificate(certificate, errors, ca),
                ClientCertificates = connection.ClientCertificate is { } client ? [client] : null,
            },
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Replaces the Lease with one renewed now; answers its new resourceVersion.</summary>
    /// <exception cref="HttpRequestException">The server refused it (a 409 when the Lease changed since).</exception>
    public async Task<string> RenewAsync(LeaseRenewal renewal, CancellationToken cancellationToken)
    {
        var path = $"apis/coordination.k8s.io/v1/namespaces/{NodeLeases.Namespace}/leases/{renewal.Node}";
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_server, path));
        request.Headers.Authorization = _authorization;
        request.Content = new ByteArrayContent(Body(renewal)) { Headers = { ContentType = _json } };
        using var response = await _http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"renewing Lease {renewal.Node}: {(int)response.StatusCode}", null, response.StatusCode);
        }

        return ResourceVersion(bytes) ?? throw new HttpRequestException($"renewing Lease {renewal.Node}: the answer has no resourceVersion");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The whole Lease as the kubelet writes it (nodelease's newLease), its owner reference kept.</summary>
    public static byte[] Body(LeaseRenewal renewal)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", "coordination.k8s.io/v1");
            json.WriteString("kind", "Lease");
            json.WriteStartObject("metadata");
            json.WriteString("name", renewal.Node);
            json.WriteString("namespace", NodeLeases.Namespace);
            json.WriteString("resourceVersion", renewal.ResourceVersion);
            json.WriteStartArray("ownerReferences");
            json.WriteStartObject();
            json.WriteString("apiVersion", "v1");
            json.WriteString("kind", "Node");
            json.WriteString("name", renewal.Node);
            json.WriteString("uid", renewal.NodeUid);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("spec");
            json.WriteString("holderIdentity", renewal.Node);
            json.WriteNumber("leaseDurationSeconds", NodeLeases.DurationSeconds);
            // metav1.MicroTime: RFC 3339 with microseconds.
            json.WriteString("renewTime", renewal.RenewTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>metadata.resourceVersion of an object, read without building it.</summary>
    public static string? ResourceVersion(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var inMetadata = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1)
            {
                inMetadata = reader.ValueTextEquals("metadata"u8);
                if (!inMetadata)
                {
                    reader.Read();
                    reader.TrySkip();
                }
            }
            else if (inMetadata && reader.CurrentDepth == 2 && reader.ValueTextEquals("resourceVersion"u8))
            {
                reader.Read();
                return reader.GetString();
            }
        }

        return null;
    }
}
