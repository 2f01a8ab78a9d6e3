namespace Timonel.Bench.ApiServer;

/// <summary>
/// Start-up time and idle memory: per run, a server on an empty data dir (and, on etcd, an emptied /registry/),
/// stopped with SIGTERM, then started again on the same data dir. Each start idles before its RSS is read.
/// </summary>
internal sealed class StartupScenario
{
    private readonly BenchOptions _options;

    public StartupScenario(BenchOptions options)
    {
        _options = options;
    }

    /// <param name="etcdEndpoint">Null for the embedded SQLite datastore.</param>
    public async Task<List<StartupSample>> RunAsync(string backend, string? etcdEndpoint)
    {
        var samples = new List<StartupSample>();
        for (var run = 0; run < _options.StartupRuns; run++)
        {
            var dataDir = Directory.CreateTempSubdirectory("timonel-bench-start-").FullName;
            try
            {
                if (etcdEndpoint is not null)
                {
                    await EtcdPutScenario.WipeRegistryAsync(etcdEndpoint);
                }

                samples.Add(await MeasureAsync(backend, "fresh", dataDir, etcdEndpoint));
                samples.Add(await MeasureAsync(backend, "restart", dataDir, etcdEndpoint));
            }
            finally
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }

        return samples;
    }

    private async Task<StartupSample> MeasureAsync(string backend, string kind, string dataDir, string? etcdEndpoint)
    {
        await using var server = await ServerProcess.StartAsync(_options.Timonel, dataDir, etcdEndpoint);
        var atReady = server.ResidentMiB();
        await Task.Delay(_options.IdleBeforeRss);
        var idle = server.ResidentMiB();
        Console.Error.WriteLine($"  {backend} {kind}: ready in {server.StartToReady.TotalMilliseconds:F0} ms, RSS {atReady:F1} → {idle:F1} MiB");
        return new StartupSample(backend, kind, server.StartToReady.TotalMilliseconds, server.ReportedReadyMs, atReady, idle);
    }
}
