using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// Crash trials on one store: each starts <c>timonel server</c> on it, checks what the previous trial's acknowledged
/// writes left (<see cref="CrashLedger"/>), runs the <see cref="CrashWorkload"/> for a seeded 0.3–1.5 s and crashes the
/// server mid-load. The store is kept from trial to trial, so damage accumulates as it would for a user.
/// </summary>
/// <param name="datastoreOutages">Whether <paramref name="crash"/> may take the datastore down under the live server.</param>
internal sealed class CrashTrialRunner(string dataDir, string[] serverArgs, Func<ServerProcess, int, Task> crash, bool datastoreOutages = false)
{
    /// <summary>Concurrent writers, as issue 13 asks.</summary>
    public const int Writers = 16;

    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    // The first start may build the binary (the launcher publishes it when a source changed).
    private static readonly TimeSpan _firstStartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan _restartTimeout = TimeSpan.FromSeconds(60);

    // Every fourth restart is itself cut short by a kill -9 at a seeded point of the start (before or after /readyz),
    // so the store must also survive a crash while it is being opened and recovered.
    private const int CrashDuringStartEvery = 4;

    // Writers stop on their first unanswered request; this only guards against a server that never went away.
    private static readonly TimeSpan _writerGuard = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="trials"/> crashes and a last restart that checks the last one.</summary>
    public async Task<CrashTally> RunAsync(string label, int trials, int seed)
    {
        var tally = new CrashTally(label, datastoreOutages);
        var ledger = new CrashLedger(Writers);
        var random = new Random(seed);
        for (var trial = 0; ; trial++)
        {
            var clock = Stopwatch.StartNew();
            await using var server = ServerProcess.Start(dataDir, serverArgs);
            if (!await server.WaitReadyAsync(trial == 0 ? _firstStartTimeout : _restartTimeout))
            {
                Skip.If(trial == 0, $"timonel server could not be built or started within {_firstStartTimeout.TotalMinutes} minutes:\n{Tail(server.Output)}");
                tally.FailedOpen($"after trial {trial}: the server did not come up ready on its store:\n{Tail(server.Output)}");
                return tally;
            }

            using var client = server.CreateClient();
            if (trial > 0)
            {
                ledger.Verify(JsonNode.Parse(await client.GetStringAsync(ConfigMaps))!, tally);
            }

            if (trial == trials)
            {
                return tally;
            }

            using var stop = new CancellationTokenSource();
            var workload = CrashWorkload.Start(client, ledger, tally, random.Next(), stop.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1501)));
            await crash(server, trial);
            stop.CancelAfter(_writerGuard);
            await workload.StoppedAsync();
            if (trial % CrashDuringStartEvery == CrashDuringStartEvery - 1)
            {
                await CrashDuringStartAsync(TimeSpan.FromMilliseconds(random.Next(100, 2001)));
                tally.CrashedDuringStart();
            }

            tally.TrialDone(clock.Elapsed);
        }
    }

    private async Task CrashDuringStartAsync(TimeSpan after)
    {
        await using var server = ServerProcess.Start(dataDir, serverArgs);
        await Task.Delay(after);
        await server.KillAsync();
    }

    /// <summary>The last lines a server printed, for failure messages.</summary>
    public static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(30));
}
