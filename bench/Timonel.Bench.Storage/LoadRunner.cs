using System.Diagnostics;

namespace Timonel.Bench.Storage;

/// <summary>
/// Runs an operation from N concurrent clients for a fixed time and reports throughput and latency percentiles.
/// Each client calls <c>operation(client, sequence)</c> in a loop, one call at a time.
/// </summary>
internal static class LoadRunner
{
    public static async Task<PhaseResult> RunAsync(string backend, string name, int clients, TimeSpan duration, Func<int, long, Task> operation)
    {
        var latencies = new List<double>[clients];
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = new List<double>(4096);
            for (long sequence = 0; Stopwatch.GetTimestamp() < deadline; sequence++)
            {
                var before = Stopwatch.GetTimestamp();
                await operation(client, sequence);
                mine.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.SelectMany(list => list).Order().ToArray();
        return new PhaseResult(backend, name, clients, all.Length, elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Length > 0 ? all[^1] : 0);
    }

    public static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(fraction * sorted.Length))];
}
