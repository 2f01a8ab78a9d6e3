// InvariantGlobalization is on (Directory.Build.props), so figures print with invariant formatting.
using Timonel.Bench.ApiServer;
using Timonel.Testing;

// API server benchmark against real `timonel server` processes, SQLite and etcd side by side in one run:
// CRUD throughput and latency at each client count, raw etcd Puts on the same etcd as the reference (each run just
// before the API create cell it is compared with), watch
// delivery latency to many watchers, and start-up time and idle RSS. Prints Markdown for docs/benchmarks.md.
//   bench/apiserver.sh, or: dotnet run -c Release --project bench/Timonel.Bench.ApiServer -- --timonel PATH
//     [--clients 1,16,64] [--connections own,shared] [--paced-gets 2000] [--seconds 4] [--warm-up 3] [--value-size 1024] [--http1] [--watchers 1000] [--watch-rate 20]
//     [--watch-seconds 6] [--startup-runs 3] [--idle-seconds 10] [--no-crud] [--no-watch] [--no-startup] [--no-etcd] [--no-sqlite]
//     [--soak] [--soak-seconds 600] [--soak-warm-up 90] [--soak-clients 64] [--soak-watches 200] [--soak-writes 330]
//     [--soak-base-objects 4000] [--restart-objects 40000] [--restart-revisions 100000]   (bench/soak.sh runs these alone)
var options = BenchOptions.Parse(args);
if (!File.Exists(options.Timonel))
{
    Console.Error.WriteLine($"no server binary at {options.Timonel}; run ./timonel --help once to build it (bench/apiserver.sh does)");
    return 1;
}

Console.WriteLine($"# API server bench: {Environment.ProcessorCount} cores, {options.ValueSize} B ConfigMap values, {options.CellDuration.TotalSeconds} s per cell, {(options.Http2 ? "HTTP/2" : "HTTP/1.1")}");
// Other jobs on a shared machine show here; figures from a run with a high load average are lower bounds.
Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
var report = new Report(options);
EtcdProcess? etcd = null;
if (options.Etcd && EtcdProcess.UnavailableReason is { } missing)
{
    Console.WriteLine($"etcd skipped: {missing}");
}
else if (options.Etcd)
{
    etcd = await EtcdProcess.StartAsync();
}

try
{
    var etcdPid = etcd is null ? null : CpuMeter.FindProcess(etcd.DataDir);
    List<(string Name, string? Endpoint)> backends = options.Sqlite ? [("SQLite", null)] : [];
    if (etcd is not null)
    {
        backends.Add(("etcd", etcd.Endpoint));
    }

    if (options.Startup)
    {
        var startup = new StartupScenario(options);
        foreach (var (name, endpoint) in backends)
        {
            Console.Error.WriteLine($"start-up and idle RSS, {name}");
            report.Startups.AddRange(await startup.RunAsync(name, endpoint));
        }
    }

    foreach (var (name, endpoint) in backends)
    {
        // Every CRUD mode and the watch test get a server of their own on an empty datastore, so no cell runs
        // against what an earlier one left behind.
        foreach (var connections in options.Crud ? options.Connections : [])
        {
            Console.Error.WriteLine($"CRUD, {name}, {connections} connections");
            using var reference = etcd is null ? null : new EtcdPutScenario(etcd.Endpoint, options, new CpuMeter(null, etcdPid), connections, name);
            await RunOnFreshServerAsync(options, name, endpoint, etcdPid, async (server, credentials, cpu) =>
                report.Cells.AddRange(await new CrudScenario(name, options, credentials, server.BaseAddress, cpu, connections, reference).RunAsync()));
        }

        if (options.Soak)
        {
            Console.Error.WriteLine($"soak, {name}");
            await RunOnFreshServerAsync(options, name, endpoint, etcdPid, async (server, credentials, cpu) =>
                report.Soaks.Add(await new SoakScenario(name, options, credentials, server, cpu).RunAsync()));
        }

        // --restart-objects 0 leaves the restart measurement out.
        if (options.Soak && options.RestartObjects > 0)
        {
            Console.Error.WriteLine($"restart with history, {name}");
            if (endpoint is not null)
            {
                await EtcdPutScenario.WipeRegistryAsync(endpoint);
            }

            report.Restarts.AddRange((await new RestartScenario(options).RunAsync(endpoint)).Select(r => (name, r.Start, r.ReadyMs, r.ReportedMs)));
        }

        if (options.Watch)
        {
            Console.Error.WriteLine($"watch, {name}");
            await RunOnFreshServerAsync(options, name, endpoint, etcdPid, async (server, credentials, cpu) =>
                report.Watches.Add(await new WatchScenario(name, options, credentials, server, cpu).RunAsync()));
        }
    }

}
finally
{
    if (etcd is not null)
    {
        await etcd.DisposeAsync();
    }
}

report.Print(Console.Out);
Console.WriteLine();
Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

static async Task RunOnFreshServerAsync(BenchOptions options, string backend, string? endpoint, int? etcdPid, Func<ServerProcess, ClusterCredentials, CpuMeter, Task> scenario)
{
    var dataDir = Directory.CreateTempSubdirectory("timonel-bench-load-").FullName;
    try
    {
        if (endpoint is not null)
        {
            await EtcdPutScenario.WipeRegistryAsync(endpoint);
        }

        await using var server = await ServerProcess.StartAsync(options.Timonel, dataDir, endpoint);
        using var credentials = ClusterCredentials.Load(server.KubeconfigPath);
        await scenario(server, credentials, new CpuMeter(server.Pid, endpoint is null ? null : etcdPid));
        if (server.ExitReport() is { } exited)
        {
            Console.WriteLine($"{backend}: {exited}");
        }
    }
    finally
    {
        Directory.Delete(dataDir, recursive: true);
    }
}
