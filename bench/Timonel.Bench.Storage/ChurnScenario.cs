using System.Diagnostics;
using Timonel.Storage;
using Timonel.Storage.Sqlite;

namespace Timonel.Bench.Storage;

/// <summary>
/// SQLite under churn: many guarded updates to a fixed set of objects from 64 clients while a compactor runs
/// every few seconds (keeping the last 1,000 revisions, as kine does), then a final compaction to the latest
/// revision. Reports the longest write while a compaction ran, and the file sizes.
/// </summary>
internal sealed class ChurnScenario(BenchOptions options)
{
    private const int Clients = 64;

    public async Task<ChurnResult> RunAsync()
    {
        var directory = Directory.CreateTempSubdirectory("timonel-churn-").FullName;
        try
        {
            var path = Path.Combine(directory, "state.db");
            await using var store = await SqliteStorageBackend.OpenAsync(path);
            return await ChurnAsync(store, path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static long FileSize(string path) =>
        new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);

    private async Task<ChurnResult> ChurnAsync(SqliteStorageBackend store, string path)
    {
        var value = new byte[options.ValueSize];
        var revisions = new long[options.ChurnObjects];
        for (var i = 0; i < options.ChurnObjects; i++)
        {
            revisions[i] = (await store.CreateAsync(Key(i), value)).Revision;
        }

        var windows = new List<(long Start, long End)>();
        var peakSize = 0L;
        using var stop = new CancellationTokenSource();
        var compactions = Task.Run(async () =>
        {
            var compactor = new AutoCompactor(store);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(options.ChurnCompactionInterval, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                peakSize = Math.Max(peakSize, FileSize(path));
                var start = Stopwatch.GetTimestamp();
                await compactor.CompactOnceAsync();
                windows.Add((start, Stopwatch.GetTimestamp()));
                peakSize = Math.Max(peakSize, FileSize(path));
            }
        });

        var writes = new (long Start, long End)[options.ChurnUpdates];
        var next = -1L;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            // Client c owns objects c, c + 64, …; it takes the next global slot until all updates are done.
            var owned = (options.ChurnObjects - 1 - client) / Clients + 1;
            for (var round = 0L; ; round++)
            {
                var slot = Interlocked.Increment(ref next);
                if (slot >= options.ChurnUpdates)
                {
                    break;
                }

                var key = client + (int)(round % owned * Clients);
                var before = Stopwatch.GetTimestamp();
                var result = await store.UpdateAsync(Key(key), value, revisions[key]);
                writes[slot] = (before, Stopwatch.GetTimestamp());
                revisions[key] = result.Succeeded ? result.Revision : throw new InvalidOperationException("a guarded update failed");
            }
        })));
        var churnTime = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        await compactions;
        peakSize = Math.Max(peakSize, FileSize(path));

        var beforeFinal = FileSize(path);
        var finalStart = Stopwatch.GetTimestamp();
        await store.CompactAsync(await store.CurrentRevisionAsync());
        var finalCompaction = Stopwatch.GetElapsedTime(finalStart);

        var latencies = writes.Select(w => Stopwatch.GetElapsedTime(w.Start, w.End).TotalMilliseconds).Order().ToArray();
        var duringCompaction = writes
            .Where(w => windows.Any(window => w.End > window.Start && w.Start < window.End))
            .Select(w => Stopwatch.GetElapsedTime(w.Start, w.End).TotalMilliseconds)
            .DefaultIfEmpty(0)
            .Max();
        return new ChurnResult(
            options.ChurnUpdates,
            options.ChurnObjects,
            options.ChurnUpdates / churnTime.TotalSeconds,
            LoadRunner.Percentile(latencies, 0.50),
            LoadRunner.Percentile(latencies, 0.99),
            latencies[^1],
            duringCompaction,
            windows.Count,
            store.LongestCompactionStep.TotalMilliseconds,
            peakSize,
            beforeFinal,
            FileSize(path),
            finalCompaction.TotalSeconds);
    }

    private static string Key(int i) => $"/churn/{i:D5}";
}
