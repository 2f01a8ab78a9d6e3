namespace Timonel.Bench.ApiServer;

/// <summary>Collects every scenario's results and prints them as Markdown tables, with the issue's targets checked.</summary>
internal sealed class Report
{
    private static readonly string[] _operationOrder = ["create", "get", "list", "update"];
    // Each backend after the raw etcd reference measured just before it.
    private static readonly string[] _backendOrder = [$"{EtcdPutScenario.RawLabel}, beside SQLite", "SQLite", $"{EtcdPutScenario.RawLabel}, beside etcd", "etcd"];
    private readonly BenchOptions _options;

    public Report(BenchOptions options)
    {
        _options = options;
    }

    public List<CellResult> Cells { get; } = [];

    public List<WatchResult> Watches { get; } = [];

    public List<StartupSample> Startups { get; } = [];

    public List<SoakResult> Soaks { get; } = [];

    public List<(string Backend, string Start, double ReadyMs, long? ReportedMs)> Restarts { get; } = [];

    public void Print(TextWriter output)
    {
        PrintCells(output);
        PrintWatches(output);
        PrintStartups(output);
        SoakReport.Print(output, Soaks, Restarts, _options);
        PrintTargets(output);
    }

    private void PrintCells(TextWriter output)
    {
        if (Cells.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Connections: \"own\" gives every client its own connection (separate processes); \"shared\" multiplexes all of a cell's clients over one HTTP/2 connection (the workers of one process: client-go's goroutines share one connection, dotnet-etcd's calls share one gRPC channel). Raw etcd Puts use the same mode as the API clients they are compared with.");
        output.WriteLine();
        output.WriteLine("| operation | clients | connections | backend | ops/s | p50 ms | p99 ms | max ms | errors | CPU cores: server / etcd / bench | server (or etcd) CPU ms/op |");
        output.WriteLine("|---|---:|---|---|---:|---:|---:|---:|---:|---|---:|");
        var ordered = Cells
            .OrderBy(c => Array.FindIndex(_operationOrder, o => c.Operation.StartsWith(o, StringComparison.Ordinal)))
            .ThenBy(c => c.Clients)
            .ThenBy(c => c.Connections)
            .ThenBy(c => Array.IndexOf(_backendOrder, c.Backend));
        foreach (var c in ordered)
        {
            output.WriteLine($"| {c.Operation} | {c.Clients} | {Mode(c.Connections)} | {c.Backend} | {c.PerSecond:N0} | {c.P50Ms:F2} | {c.P99Ms:F2} | {c.MaxMs:F1} | {c.Errors} | {c.Cpu} | {CpuPerOperation(c):F2} |");
        }

        foreach (var c in Cells.Where(c => c.FirstError is not null))
        {
            output.WriteLine($"first error, {c.Backend} {c.Operation} at {c.Clients} ({Mode(c.Connections)}): {c.FirstError}");
        }
    }

    private void PrintWatches(TextWriter output)
    {
        if (Watches.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Watch delivery: {_options.WatchUpdatesPerSecond} updates/s to one ConfigMap for {_options.WatchDuration.TotalSeconds} s after {_options.WarmUp.TotalSeconds} s of the same unrecorded; delay from the writer's PUT answer to each watcher reading the event.");
        output.WriteLine();
        output.WriteLine("| backend | watchers | open all, s | events delivered / expected | p50 ms | p99 ms | max ms | from PUT sent p50 / p99 ms | PUT p50 ms | server RSS after, MiB | CPU cores: server / etcd / bench |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var w in Watches)
        {
            output.WriteLine($"| {w.Backend} | {w.Watchers:N0} | {w.OpenTime.TotalSeconds:F1} | {w.Delivered:N0} / {w.Expected:N0} | {w.P50Ms:F1} | {w.P99Ms:F1} | {w.MaxMs:F1} | {w.FromSendP50Ms:F1} / {w.FromSendP99Ms:F1} | {w.WriteP50Ms:F1} | {w.ServerRssMiB:F1} | {w.Cpu} |");
        }

        foreach (var w in Watches.Where(w => w.FirstError is not null))
        {
            output.WriteLine($"first watch error, {w.Backend}: {w.FirstError}");
        }
    }

    private void PrintStartups(TextWriter output)
    {
        if (Startups.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Start-up: exec of the binary to the first 200 from /readyz (polled every 10 ms); RSS (VmRSS) at that moment and after {_options.IdleBeforeRss.TotalSeconds} s idle. min / median / max over {_options.StartupRuns} runs.");
        output.WriteLine();
        output.WriteLine("| backend | data dir | exec → /readyz ms | server's own \"ready in\" ms (median) | RSS at ready, MiB | RSS idle, MiB |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var group in Startups.GroupBy(s => (s.Backend, s.DataDir)))
        {
            var reported = group.Where(s => s.ReportedReadyMs is not null).Select(s => (double)s.ReportedReadyMs!.Value).ToList();
            output.WriteLine($"| {group.Key.Backend} | {group.Key.DataDir} | {Spread(group.Select(s => s.StartToReadyMs), "F0")} | {(reported.Count > 0 ? Median(reported).ToString("F0") : "?")} | {Spread(group.Select(s => s.RssAtReadyMiB), "F1")} | {Spread(group.Select(s => s.RssIdleMiB), "F1")} |");
        }
    }

    private void PrintTargets(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("| target | measured | met |");
        output.WriteLine("|---|---|---|");
        foreach (var (clients, mode) in _options.Clients.SelectMany(c => _options.Connections.Select(m => (c, m))))
        {
            foreach (var (backend, share, wording) in new[] { ("etcd", 0.5, "creates on etcd ≥ 50 % of raw etcd Puts/s"), ("SQLite", 1.0, "creates on SQLite ≥ raw etcd Puts/s") })
            {
                // Each backend's create cell against the raw Puts measured just before it.
                if (Find(backend, "create", clients, mode) is { } api && Find($"{EtcdPutScenario.RawLabel}, beside {backend}", "create", clients, mode) is { } raw)
                {
                    Target(output, $"{wording}, {clients} clients, {Mode(mode)} connections", $"{api.PerSecond:N0} vs {raw.PerSecond:N0} = {api.PerSecond / raw.PerSecond:P0}", api.PerSecond >= share * raw.PerSecond);
                }
            }
        }

        var most = _options.Clients.Max();
        foreach (var get in Cells.Where(c => c.Operation.StartsWith("get", StringComparison.Ordinal) && c.Clients == most))
        {
            var how = IsPaced(get) ? $"paced at {_options.PacedGetsPerSecond:N0} GETs/s in all" : "closed loop (saturated)";
            Target(output, $"GET p99 ≤ 5 ms at {most} clients, {how}, {get.Backend}, {Mode(get.Connections)} connections", $"{get.P99Ms:F2} ms ({get.PerSecond:N0} GETs/s)", get.P99Ms <= 5);
        }

        foreach (var w in Watches)
        {
            Target(output, $"watch delivery p99 ≤ 50 ms, {w.Watchers:N0} watchers, {w.Backend}", $"{w.P99Ms:F1} ms ({w.Delivered:N0} / {w.Expected:N0} delivered)", w.P99Ms <= 50 && w.Delivered == w.Expected);
        }

        foreach (var group in Startups.GroupBy(s => (s.Backend, s.DataDir)))
        {
            var idle = group.Max(s => s.RssIdleMiB);
            Target(output, $"idle RSS ≤ 120 MB, {group.Key.Backend} {group.Key.DataDir} (worst run)", $"{idle:F1} MiB = {idle * 1.048576:F1} MB", idle * 1.048576 <= 120);
            var ready = group.Max(s => s.StartToReadyMs);
            Target(output, $"start → /readyz ≤ 1 s, {group.Key.Backend} {group.Key.DataDir} (worst run)", $"{ready:F0} ms", ready <= 1000);
        }
    }

    // CPU per call is steadier than calls per second on a machine other jobs share: it says what one call costs.
    private static double CpuPerOperation(CellResult c) => (c.Backend.StartsWith(EtcdPutScenario.RawLabel, StringComparison.Ordinal) ? c.Cpu.Etcd : c.Cpu.Server) * 1000 / c.PerSecond;

    private CellResult? Find(string backend, string operation, int clients, ConnectionMode mode) =>
        Cells.FirstOrDefault(c => c.Backend == backend && c.Operation == operation && c.Clients == clients && c.Connections == mode);

    private static bool IsPaced(CellResult cell) => cell.Operation.Contains("paced", StringComparison.Ordinal);

    private static string Mode(ConnectionMode mode) => mode.ToString().ToLowerInvariant();

    private static void Target(TextWriter output, string target, string measured, bool met) =>
        output.WriteLine($"| {target} | {measured} | {(met ? "yes" : "**no**")} |");

    private static string Spread(IEnumerable<double> values, string format)
    {
        var sorted = values.Order().ToList();
        return $"{sorted[0].ToString(format)} / {Median(sorted).ToString(format)} / {sorted[^1].ToString(format)}";
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
