using System.Diagnostics;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// Start → ready over a long history: a server on a fresh data dir gets many objects, then updates until the store
/// holds the wanted number of revisions; it is restarted at once (the history uncompacted) and again once the
/// compaction soon after start has run, so the two starts show whether loading depends on history.
/// </summary>
internal sealed class RestartScenario
{
    private const int Namespaces = 40;
    private readonly BenchOptions _options;

    public RestartScenario(BenchOptions options)
    {
        _options = options;
    }

    /// <returns>(which start, start → ready, the server's own figure) for each restart.</returns>
    public async Task<List<(string Start, double ReadyMs, long? ReportedMs)>> RunAsync(string? etcdEndpoint)
    {
        var dataDir = Directory.CreateTempSubdirectory("timonel-bench-restart-").FullName;
        try
        {
            var written = Stopwatch.StartNew();
            var revision = await WriteHistoryAsync(dataDir, etcdEndpoint);
            Console.Error.WriteLine($"  {_options.RestartObjects} objects, {_options.RestartRevisions} writes up to revision {revision} in {written.Elapsed.TotalSeconds:F0} s");
            var starts = new List<(string, double, long?)>();
            // The auto-compactor's first run comes 10 s after start: the first restart stays up past it.
            starts.Add(await RestartAsync("restart, history uncompacted", dataDir, etcdEndpoint, TimeSpan.FromSeconds(20)));
            starts.Add(await RestartAsync("restart, history compacted", dataDir, etcdEndpoint, TimeSpan.FromSeconds(1)));
            return starts;
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private async Task<(string, double, long?)> RestartAsync(string start, string dataDir, string? etcdEndpoint, TimeSpan stayUp)
    {
        await using var server = await ServerProcess.StartAsync(_options.Timonel, dataDir, etcdEndpoint);
        // The server logs its own figure (with its phases) just after /readyz first answers.
        await Task.Delay(stayUp);
        Console.Error.WriteLine($"  {start}: ready in {server.StartToReady.TotalMilliseconds:F0} ms; {server.ReadyLine}");
        return (start, server.StartToReady.TotalMilliseconds, server.ReportedReadyMs);
    }

    private async Task<long> WriteHistoryAsync(string dataDir, string? etcdEndpoint)
    {
        await using var server = await ServerProcess.StartAsync(_options.Timonel, dataDir, etcdEndpoint);
        using var credentials = ClusterCredentials.Load(server.KubeconfigPath);
        var clients = ConfigMapClient.Create(64, ConnectionMode.Own, credentials, server.BaseAddress, _options.Http2, _options.ValueSize);
        try
        {
            for (var i = 0; i < Namespaces; i++)
            {
                await clients[0].CreateNamespaceAsync($"restart-{i:D2}");
            }

            var revisions = new long[_options.RestartObjects];
            var next = -1L;
            var last = 0L;
            await Task.WhenAll(clients.Select(client => Task.Run(async () =>
            {
                long write;
                while ((write = Interlocked.Increment(ref next)) < _options.RestartRevisions)
                {
                    // Writes past the objects' count update them in turn; each object is written by one client at a time.
                    var index = (int)(write % revisions.Length);
                    var (ns, name) = ($"restart-{index % Namespaces:D2}", $"cm-{index}");
                    var revision = write < revisions.Length
                        ? await client.CreateAsync(ns, name)
                        : await client.UpdateAsync(ns, name, Volatile.Read(ref revisions[index]), write);
                    Volatile.Write(ref revisions[index], revision);
                    Interlocked.Exchange(ref last, Math.Max(Interlocked.Read(ref last), revision));
                }
            })));
            return last;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
