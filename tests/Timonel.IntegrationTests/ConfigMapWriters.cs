using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Timonel.IntegrationTests;

/// <summary>
/// Concurrent clients creating ConfigMaps in the default namespace as fast as the server answers, each until its first
/// request fails (the server went away): what was acknowledged with 201 is what the server promised to keep.
/// </summary>
public sealed class ConfigMapWriters
{
    private readonly ConcurrentBag<string> _acknowledged = [];
    private readonly ConcurrentBag<string> _unexpected = [];
    private readonly Task[] _writers;

    private ConfigMapWriters(HttpClient client, int count, CancellationToken stop) =>
        _writers = [.. Enumerable.Range(0, count).Select(i => Task.Run(() => WriteAsync(client, i, stop), CancellationToken.None))];

    /// <summary>Names of the ConfigMaps whose create was answered 201 Created.</summary>
    public IReadOnlyCollection<string> Acknowledged => _acknowledged;

    /// <summary>Answers other than 201 (a 5xx under load, say), as "name: code body".</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    public static ConfigMapWriters Start(HttpClient client, int count, CancellationToken stop) => new(client, count, stop);

    /// <summary>Waits for every writer to stop: after <c>stop</c> is cancelled or once the server is gone.</summary>
    public Task StoppedAsync() => Task.WhenAll(_writers);

    private async Task WriteAsync(HttpClient client, int writer, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var name = $"w{writer}-{i}";
            var body = $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"writer":"{{{writer}}}","i":"{{{i}}}"}}""";
            try
            {
                using var response = await client.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent(body, Encoding.UTF8, "application/json"), CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    _acknowledged.Add(name);
                }
                else
                {
                    _unexpected.Add($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                return;
            }
        }
    }
}
