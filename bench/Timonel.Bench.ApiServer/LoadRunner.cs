using System.Diagnostics;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// Drives one operation from N clients for a fixed time, each client one call at a time (a closed loop, as a
/// controller's worker is). A call that throws counts as an error and the client carries on.
/// </summary>
internal static class LoadRunner
{
    /// <param name="call">Called with the client index and that client's call number.</param>
    public static async Task<CellResult> RunAsync(string backend, string operation, int clients, TimeSpan duration, CpuMeter cpu, Func<int, long, Task> call)
    {
        var samples = new List<double>[clients];
        var errors = 0L;
        string? firstError = null;
        cpu.Start();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = samples[client] = new List<double>(8192);
            for (var number = 0L; clock.Elapsed < duration; number++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await call(client, number);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
