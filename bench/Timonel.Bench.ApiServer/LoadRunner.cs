using System.Diagnostics;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// Drives one operation from N clients for a fixed time, each client one call at a time (a closed loop, as a
/// controller's worker is). A call that throws counts as an error and the client carries on.
/// </summary>
internal static class LoadRunner
{
    /// <param name="call">Called with the client index and that client's call number.</param>
    public static Task<CellResult> RunAsync(string backend, string operation, int clients, TimeSpan duration, CpuMeter cpu, Func<int, long, Task> call) =>
        RunAsync(backend, operation, clients, duration, cpu, call, totalPerSecond: null);

    /// <summary>
    /// The same clients, but paced (an open loop): together they start <paramref name="totalPerSecond"/> calls a second,
    /// each client on its own schedule; a call that starts late because the client's previous call overran counts that
    /// lateness, so time spent waiting behind a slow call is not hidden (the delay timer's slack on time does not). This is latency at a given load, where the closed loop measures it at
    /// saturation (there, by Little's law, p50 ≈ clients ÷ throughput whatever a call costs).
    /// </summary>
    public static Task<CellResult> RunPacedAsync(string backend, string operation, int clients, TimeSpan duration, CpuMeter cpu, double totalPerSecond, Func<int, long, Task> call) =>
        RunAsync(backend, operation, clients, duration, cpu, call, totalPerSecond);

    private static async Task<CellResult> RunAsync(string backend, string operation, int clients, TimeSpan duration, CpuMeter cpu, Func<int, long, Task> call, double? totalPerSecond)
    {
        var interval = totalPerSecond is { } rate ? TimeSpan.FromSeconds(clients / rate) : TimeSpan.Zero;
        var samples = new List<double>[clients];
        var errors = 0L;
        string? firstError = null;
        cpu.Start();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = samples[client] = new List<double>(8192);
            // Paced clients start spread over one interval, so their calls do not arrive in bursts.
            var due = interval * client / clients;
            for (var number = 0L; clock.Elapsed < duration; number++)
            {
                // Paced: a client still busy with a slow call when its next one fell due starts late, and that lateness
                // is the server's doing, so it counts; the delay timer's own slack when on time does not.
                var late = TimeSpan.Zero;
                if (interval > TimeSpan.Zero)
                {
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                    else
                    {
                        late = -wait;
                    }

                    due += interval;
                }

                var startedAt = Stopwatch.GetTimestamp();
                try
                {
                    await call(client, number);
                    mine.Add((Stopwatch.GetElapsedTime(startedAt) + late).TotalMilliseconds);
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                }
            }
        })));
        var elapsed = clock.Elapsed;
        var used = cpu.Stop();
        var sorted = samples.SelectMany(list => list).Order().ToList();
        return new CellResult(backend, operation, clients, sorted.Count, errors, elapsed, Percentiles.Of(sorted, 0.50), Percentiles.Of(sorted, 0.99), sorted.Count > 0 ? sorted[^1] : double.NaN, used, firstError);
    }
}
