using System.Net;

namespace Timonel.IntegrationTests.Ingress;

/// <summary>Plain HTTP requests to an Ingress controller's loopback port, with the Host header a rule matches.</summary>
public sealed class IngressClient(int httpPort, Func<string> diagnostics)
{
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? host)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{httpPort}{path}");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asks until the answer has <paramref name="status"/> (configuration is applied asynchronously); the last body.</summary>
    public async Task<string> EventuallyAsync(string path, string? host, HttpStatusCode status, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        var last = await GetAsync(path, host);
        while (last.Status != status && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            last = await GetAsync(path, host);
        }

        Assert.True(last.Status == status, $"GET {host}{path}: {(int)last.Status}, expected {(int)status}\n{last.Body}\n{diagnostics()}");
        return last.Body;
    }
}
