using System.Globalization;

namespace Timonel.Bench.ApiServer;

/// <summary>Command-line flags; every default is the setting the recorded figures used.</summary>
internal sealed record BenchOptions
{
    /// <summary>The published server binary (the launcher's output), not the launcher: start-up is timed from exec.</summary>
    public string Timonel { get; init; } = "artifacts/bin/Timonel/release/timonel";

    public IReadOnlyList<int> Clients { get; init; } = [1, 16, 64];

    public TimeSpan CellDuration { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How long each operation runs at the largest client count before any cell is recorded.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    public int ValueSize { get; init; } = 1024;

    /// <summary>HTTP/2 as client-go speaks it; --http1 gives every client its own HTTP/1.1 connection instead.</summary>
    public bool Http2 { get; init; } = true;

    /// <summary>Connection modes the CRUD cells and the raw etcd reference run in (--connections own,shared).</summary>
    public IReadOnlyList<ConnectionMode> Connections { get; init; } = [ConnectionMode.Own, ConnectionMode.Shared];

    /// <summary>Total GETs a second of the paced (open-loop) GET cell at the largest client count; 0 leaves it out.</summary>
    public double PacedGetsPerSecond { get; init; } = 2000;

    public int Watchers { get; init; } = 1000;

    public double WatchUpdatesPerSecond { get; init; } = 20;

    public TimeSpan WatchDuration { get; init; } = TimeSpan.FromSeconds(6);

    public int StartupRuns { get; init; } = 3;

    public TimeSpan IdleBeforeRss { get; init; } = TimeSpan.FromSeconds(10);

    public bool Crud { get; init; } = true;

    public bool Watch { get; init; } = true;

    public bool Startup { get; init; } = true;

    public bool Etcd { get; init; } = true;

    /// <summary>--soak runs the sustained-churn soak and the restart-with-history measurement (off by default: minutes long).</summary>
    public bool Soak { get; init; }

    public TimeSpan SoakDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Soak time before the baseline RSS is read (not counted in the latency figures): past the watch cache's 75 s
    /// window, which fills once and then holds steady, so growth after it is what depends on history.
    /// </summary>
    public TimeSpan SoakWarmUp { get; init; } = TimeSpan.FromSeconds(90);

    public int SoakClients { get; init; } = 64;

    /// <summary>One watch per namespace; the soak's objects are spread over these namespaces.</summary>
    public int SoakWatches { get; init; } = 200;

    /// <summary>Writes a second over all soak clients (create, update, update, delete in every six calls).</summary>
    public double SoakWritesPerSecond { get; init; } = 330;

    /// <summary>Objects present before the soak starts and never touched (the live set lists and the cache hold).</summary>
    public int SoakBaseObjects { get; init; } = 4000;

    public int RestartObjects { get; init; } = 40_000;

    /// <summary>Revisions written before the restart: the objects' creates, then updates up to this count.</summary>
    public int RestartRevisions { get; init; } = 100_000;

    /// <summary>--no-sqlite leaves out the SQLite server (to profile the etcd-backed one alone).</summary>
    public bool Sqlite { get; init; } = true;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--timonel" => options with { Timonel = Value() },
                "--clients" => options with { Clients = [.. Value().Split(',').Select(Int)] },
                "--seconds" => options with { CellDuration = Seconds(Value()) },
                "--warm-up" => options with { WarmUp = Seconds(Value()) },
                "--value-size" => options with { ValueSize = Int(Value()) },
                "--http1" => options with { Http2 = false },
                "--connections" => options with { Connections = [.. Value().Split(',').Select(m => Enum.Parse<ConnectionMode>(m, ignoreCase: true))] },
                "--paced-gets" => options with { PacedGetsPerSecond = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--watchers" => options with { Watchers = Int(Value()) },
                "--watch-rate" => options with { WatchUpdatesPerSecond = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--watch-seconds" => options with { WatchDuration = Seconds(Value()) },
                "--startup-runs" => options with { StartupRuns = Int(Value()) },
                "--idle-seconds" => options with { IdleBeforeRss = Seconds(Value()) },
                "--no-crud" => options with { Crud = false },
                "--no-watch" => options with { Watch = false },
                "--no-startup" => options with { Startup = false },
                "--no-etcd" => options with { Etcd = false },
                "--no-sqlite" => options with { Sqlite = false },
                "--soak" => options with { Soak = true },
                "--soak-seconds" => options with { SoakDuration = Seconds(Value()) },
                "--soak-warm-up" => options with { SoakWarmUp = Seconds(Value()) },
                "--soak-clients" => options with { SoakClients = Int(Value()) },
                "--soak-watches" => options with { SoakWatches = Int(Value()) },
                "--soak-writes" => options with { SoakWritesPerSecond = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--soak-base-objects" => options with { SoakBaseObjects = Int(Value()) },
                "--restart-objects" => options with { RestartObjects = Int(Value()) },
                "--restart-revisions" => options with { RestartRevisions = Int(Value()) },
                _ => throw new ArgumentException($"unknown flag {args[i]}; see bench/Timonel.Bench.ApiServer/Program.cs"),
            };
        }

        return options;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
}
