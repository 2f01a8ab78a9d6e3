using System.Globalization;
using Timonel.Testing;
using Xunit.Abstractions;

namespace Timonel.IntegrationTests;

/// <summary>
/// A real <c>timonel server</c> under 16 concurrent writers (creates, updates and deletes with resourceVersion
/// preconditions), crashed mid-load again and again on the same store: after each restart no acknowledged write may be
/// lost, no acknowledged delete may come back, resourceVersions may not go backwards, and the store must open.
/// The number of trials comes from TIMONEL_CRASH_TRIALS_SQLITE / TIMONEL_CRASH_TRIALS_ETCD (the defaults keep CI
/// short; docs/crash-safety.md has a full run) and their randomness from TIMONEL_CRASH_SEED.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int CiSqliteTrials = 10;
    private const int CiEtcdTrials = 4;
    private const int DefaultSeed = 13;

    // Of every three trials, one kills etcd right after the server and one kills it under the live server before the
    // server itself: a short CI run has both, and a third of the trials crash the server against an etcd that stays up.
    private const int EtcdCrashEvery = 3;

    private readonly ITestOutputHelper _output;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-crash-" + Guid.NewGuid().ToString("N")[..10]);

    public CrashSafetyTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public async Task KillNine_SqliteUnderConcurrentWrites_KeepsEveryAcknowledgedWrite()
    {
        SkipWithoutLauncher();
        var runner = new CrashTrialRunner(_dataDir, [], async (server, trial) =>
        {
            // The launcher execs the binary, so this PID is the server itself, not a shell around it.
            Assert.Equal("timonel", Path.GetFileName(server.Executable));
            await server.KillAsync();
        });

        AssertSound(await runner.RunAsync("SQLite, kill -9", FromEnvironment("TIMONEL_CRASH_TRIALS_SQLITE", CiSqliteTrials), Seed));
    }

    [SkippableFact]
    public async Task KillNine_EtcdUnderConcurrentWrites_KeepsEveryAcknowledgedWrite()
    {
        SkipWithoutLauncher();
        Skip.If(EtcdProcess.UnavailableReason is not null, EtcdProcess.UnavailableReason);
        await using var etcd = await EtcdProcess.StartAsync();
        var runner = new CrashTrialRunner(
            _dataDir,
            ["--datastore-endpoint", etcd.Endpoint],
            async (server, trial) =>
            {
                if (trial % EtcdCrashEvery == 2)
                {
                    // etcd dies first and comes back under the live, loaded server: writes in its hands then fail with
                    // a 5xx (outcome unknown) or stay in flight, and what etcd acknowledged before must survive.
                    await etcd.RestartAsync();
                }

                await server.KillAsync();
                if (trial % EtcdCrashEvery == 1)
                {
                    // kill -9 of etcd right after the server, with the server's last requests possibly still in its
                    // hands; etcd fsyncs before it answers, so what it acknowledged must survive.
                    await etcd.RestartAsync();
                }
            },
            datastoreOutages: true);

        AssertSound(await runner.RunAsync($"etcd, kill -9 (etcd too in two trials of {EtcdCrashEvery}: after the server, or before it under load)", FromEnvironment("TIMONEL_CRASH_TRIALS_ETCD", CiEtcdTrials), Seed));
    }

    [SkippableFact]
    public async Task Sigterm_SqliteUnderConcurrentWrites_ExitsZeroAndKeepsEveryAcknowledgedWrite()
    {
        SkipWithoutLauncher();
        var exitCode = -1;
        var serverOutput = "";
        var runner = new CrashTrialRunner(_dataDir, [], async (server, _) =>
        {
            exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(20));
            serverOutput = server.Output;
        });

        AssertSound(await runner.RunAsync("SQLite, SIGTERM", 1, Seed));
        Assert.True(exitCode == 0, $"the server exited {exitCode} on SIGTERM; its last lines:\n{CrashTrialRunner.Tail(serverOutput)}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never started.
        }
    }

    private static int Seed => FromEnvironment("TIMONEL_CRASH_SEED", DefaultSeed);

    private static int FromEnvironment(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static void SkipWithoutLauncher() =>
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");

    private void AssertSound(CrashTally tally)
    {
        var summary = tally.Summary(Seed);
        _output.WriteLine(summary);
        Assert.True(tally.ProblemCount == 0, $"{summary}\n{tally.Problems}");
        Assert.True(tally.AcknowledgedWrites > CrashTrialRunner.Writers, $"too few writes acknowledged to prove anything: {summary}");
    }
}
