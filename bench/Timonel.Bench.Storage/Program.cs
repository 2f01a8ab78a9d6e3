// InvariantGlobalization is on (Directory.Build.props), so figures print with invariant formatting.
using Timonel.Bench.Storage;
using Timonel.Storage.Etcd;
using Timonel.Storage.Sqlite;
using Timonel.Testing;

// Storage benchmark: SQLite and etcd side by side in one run, plus raw etcd Puts as the ceiling, then SQLite
// under churn with compaction. Prints Markdown tables for docs/benchmarks.md.
//   dotnet run -c Release --project bench/Timonel.Bench.Storage -- [--clients 1,16,64] [--seconds 3]
//     [--value-size 1024] [--churn-updates 1000000] [--churn-objects 1000] [--churn-compact-every 5]
//     [--no-churn] [--only-churn] [--no-etcd]
var options = BenchOptions.Parse(args);
Console.WriteLine($"# storage bench: {Environment.ProcessorCount} cores, {options.ValueSize} B values, {options.PhaseDuration.TotalSeconds} s per phase");

if (options.Throughput)
{
    var results = new List<PhaseResult>();
    var directory = Directory.CreateTempSubdirectory("timonel-bench-").FullName;
    try
    {
        await using (var sqlite = await SqliteStorageBackend.OpenAsync(Path.Combine(directory, "state.db")))
        {
            results.AddRange(await new ThroughputScenario("SQLite", sqlite, options).RunAsync());
        }

        var etcdMissing = EtcdProcess.UnavailableReason;
        if (options.Etcd && etcdMissing is null)
        {
            await using var etcd = await EtcdProcess.StartAsync();
            await using (var backend = new EtcdStorageBackend(etcd.Endpoint))
            {
                results.AddRange(await new ThroughputScenario("etcd", backend, options).RunAsync());
            }

            results.AddRange(await RawEtcdPutScenario.RunAsync(etcd.Endpoint, options));
        }
        else if (options.Etcd)
        {
            Console.WriteLine($"etcd skipped: {etcdMissing}");
        }
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }

    Console.WriteLine();
    Console.WriteLine("| operation | clients | backend | ops/s | p50 ms | p99 ms | max ms |");
    Console.WriteLine("|---|---:|---|---:|---:|---:|---:|");
    foreach (var r in results.OrderBy(r => r.Operation == "put" ? "create" : r.Operation, StringComparer.Ordinal).ThenBy(r => r.Clients).ThenBy(r => r.Backend, StringComparer.Ordinal))
    {
        Console.WriteLine($"| {r.Operation} | {r.Clients} | {r.Backend} | {r.PerSecond:N0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} |");
    }
}

if (options.Churn)
{
    var churn = await new ChurnScenario(options).RunAsync();
    Console.WriteLine();
    Console.WriteLine($"SQLite churn: {churn.Updates:N0} guarded updates to {churn.Objects:N0} objects from 64 clients, compacting every {options.ChurnCompactionInterval.TotalSeconds} s (keep 1,000 revisions)");
    Console.WriteLine();
    Console.WriteLine("| figure | value |");
    Console.WriteLine("|---|---:|");
    Console.WriteLine($"| updates/s | {churn.UpdatesPerSecond:N0} |");
    Console.WriteLine($"| update p50 / p99 / max ms | {churn.P50Ms:F2} / {churn.P99Ms:F2} / {churn.MaxMs:F1} |");
    Console.WriteLine($"| compactions during churn | {churn.Compactions} |");
    Console.WriteLine($"| longest update while a compaction ran, ms | {churn.MaxDuringCompactionMs:F1} |");
    Console.WriteLine($"| longest single compaction/vacuum step, ms | {churn.LongestCompactionStepMs:F1} |");
    Console.WriteLine($"| peak file size (db + WAL) | {churn.PeakBytes / 1048576.0:F1} MiB |");
    Console.WriteLine($"| size before final compaction | {churn.BeforeFinalCompactionBytes / 1048576.0:F1} MiB |");
    Console.WriteLine($"| size after final compaction to latest | {churn.FinalBytes / 1048576.0:F1} MiB |");
    Console.WriteLine($"| final compaction took | {churn.FinalCompactionSeconds:F2} s |");
}
