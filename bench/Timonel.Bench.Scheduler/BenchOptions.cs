using System.Globalization;

namespace Timonel.Bench.Scheduler;

/// <summary>scheduler_perf's SchedulingBasic at 5,000 nodes by default (test/integration/scheduler_perf/config/performance-config.yaml).</summary>
internal sealed record BenchOptions
{
    /// <summary>The server binary built by the launcher (./timonel) or `dotnet build -c Release`.</summary>
    public string Timonel { get; init; } = "artifacts/bin/Timonel/release/timonel";

    public int Nodes { get; init; } = 5000;

    public int WarmupPods { get; init; } = 1000;

    public int MeasuredPods { get; init; } = 10000;

    /// <summary>Concurrent pod creators.</summary>
    public int Creators { get; init; } = 8;

    /// <summary>Measure scheduling decisions without binding, even when the server binds.</summary>
    public bool DecisionsOnly { get; init; }

    /// <summary>No server: the scheduler's own cost, nodes and pods handed to its cache and queue directly.</summary>
    public bool InMemory { get; init; }

    /// <summary>
    /// The whole product: `timonel server` with its own scheduler and a `timonel agent --simulated` process holding the
    /// nodes; bindings timed from a pod watch.
    /// </summary>
    public bool AllInOne { get; init; }

    /// <summary>scheduler_perf's workload: SchedulingBasic (the default), <see cref="TopologySpreading.Name"/> or preemption-basic.</summary>
    public string Workload { get; init; } = "scheduling-basic";

    /// <summary>Threads filtering and scoring nodes (0: one per core), for the in-memory run.</summary>
    public int Parallelism { get; init; }

    public bool TopologySpreading => Workload == Scheduler.TopologySpreading.Name;

    /// <summary>What the workload changes in each measured pod.</summary>
    public Func<k8s.Models.V1Pod, k8s.Models.V1Pod>? MeasuredPodShape => TopologySpreading ? Scheduler.TopologySpreading.Spread : null;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--timonel" => options with { Timonel = Next() },
                "--nodes" => options with { Nodes = Number() },
                "--warmup" => options with { WarmupPods = Number() },
                "--pods" => options with { MeasuredPods = Number() },
                "--creators" => options with { Creators = Number() },
                "--decisions-only" => options with { DecisionsOnly = true },
                "--in-memory" => options with { InMemory = true },
                "--all-in-one" => options with { AllInOne = true },
                "--parallelism" => options with { Parallelism = Number() },
                "--workload" => options with { Workload = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
