using System.Net;
using System.Text;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// ConfigMap REST calls as a client sends them (POST, GET, GET list, PUT with the last resourceVersion), over one
/// HttpClient, its own or one several clients share. Every call reads the whole answer and fails on an unexpected status.
/// </summary>
internal sealed class ConfigMapClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Version _version;
    private readonly string _payload;

    public ConfigMapClient(ClusterCredentials credentials, Uri server, bool http2, int valueSize)
        : this(CreateHttpClient(credentials, server, multipleConnections: true), http2, valueSize, ownsHttp: true)
    {
    }

    private ConfigMapClient(HttpClient http, bool http2, int valueSize, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        _version = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
        _payload = new string('x', valueSize);
    }

    /// <summary>
    /// <paramref name="count"/> clients in <paramref name="mode"/>: each with its own connection, or all multiplexed
    /// over one HTTP/2 connection (the shared HttpClient is disposed with the first client).
    /// </summary>
    public static ConfigMapClient[] Create(int count, ConnectionMode mode, ClusterCredentials credentials, Uri server, bool http2, int valueSize)
    {
        if (mode == ConnectionMode.Own)
        {
            return [.. Enumerable.Range(0, count).Select(_ => new ConfigMapClient(credentials, server, http2, valueSize))];
        }

        var shared = CreateHttpClient(credentials, server, multipleConnections: false);
        return [.. Enumerable.Range(0, count).Select(i => new ConfigMapClient(shared, http2, valueSize, ownsHttp: i == 0))];
    }

    public HttpClient Http => _http;

    public Version Version => _version;

    public async Task CreateNamespaceAsync(string name)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"}}""");
        await ExpectAsync(response, HttpStatusCode.Created, HttpStatusCode.Conflict);
    }

    /// <summary>Creates a ConfigMap and returns its resourceVersion.</summary>
    public async Task<long> CreateAsync(string ns, string name)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Body(name, null));
        return ResourceVersions.Find(await ExpectAsync(response, HttpStatusCode.Created));
    }

    public async Task GetAsync(string ns, string name)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/{name}", null);
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    public async Task ListAsync(string ns)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps", null);
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Replaces the object, guarded by <paramref name="resourceVersion"/>; returns the new one.</summary>
    public async Task<long> UpdateAsync(string ns, string name, long resourceVersion, long generation)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/{name}", Body(name, (resourceVersion, generation)));
        return ResourceVersions.Find(await ExpectAsync(response, HttpStatusCode.OK));
    }

    public async Task DeleteAsync(string ns, string name)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/{name}", null);
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static HttpClient CreateHttpClient(ClusterCredentials credentials, Uri server, bool multipleConnections) =>
        new(credentials.CreateHandler(multipleConnections)) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };

    private static async Task<byte[]> ExpectAsync(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!expected.Contains(response.StatusCode))
        {
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        }

        return body;
    }

    // The value changes with every update, so each PUT is a real change (and a watch event).
    private string Body(string name, (long ResourceVersion, long Generation)? update)
    {
        var resourceVersion = update is { } u ? $",\"resourceVersion\":\"{u.ResourceVersion}\"" : "";
        var round = update?.Generation ?? 0;
        return $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"{{{resourceVersion}}}},"data":{"round":"{{{round}}}","payload":"{{{_payload}}}"}}""";
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body)
    {
        var request = new HttpRequestMessage(method, path) { Version = _version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return _http.SendAsync(request);
    }
}
