using System.Net;

namespace Timonel.IntegrationTests.Ingress;

/// <summary>
/// A steady load through the Ingress while its configuration keeps changing: 8 clients send <c>requests</c> GETs in
/// all while <c>change</c> is applied again and again (each call a new configuration swapped in under load).
/// </summary>
public static class IngressLoad
{
    /// <returns>How many requests did not answer 200, and how many changes were applied meanwhile.</returns>
    public static async Task<(int Failures, int Changes)> RunAsync(int httpPort, string host, string path, int requests, Func<int, Task> change)
    {
        using var client = new HttpClient();
        var failures = 0;
        var sent = 0;
        var load = Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref sent) <= requests)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{httpPort}{path}");
                request.Headers.Host = host;
                using var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var changes = 0;
        while (!load.IsCompleted)
        {
            await change(changes++);
        }

        await load;
        return (failures, changes);
    }
}
