using Timonel.Storage.Sqlite;
using Xunit.Abstractions;

namespace Timonel.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite store killed again and again while 16 clients create, update and delete keys and history is compacted
/// close behind the head, so kills land in write groups, compaction steps, vacuums and checkpoints. After each kill
/// the file must open, every acknowledged write and delete must hold, and revisions must not go backwards.
/// </summary>
public sealed class SqliteChurnCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Trials = 6;

    private readonly string _directory = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_directory);

    [Fact]
    public async Task Churn_KilledRepeatedlyWhileCompacting_KeepsEveryAcknowledgedWriteAndRevision()
    {
        var database = Path.Combine(_directory, "state.db");
        var random = new Random(13);
        var ledger = new ChurnLedger();
        var problems = new List<string>();
        var compacted = 0L;
        for (var trial = 0; trial < Trials; trial++)
        {
            var log = Path.Combine(_directory, $"churn-{trial}.log");
            var seed = random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
            await CrashWriterProcess.RunThenKillAsync(log, random.Next(300, 3000), line => line.StartsWith("ok ", StringComparison.Ordinal), "churn", database, log, "16", seed);

            await using var store = await SqliteStorageBackend.OpenAsync(database);
            problems.AddRange((await ledger.VerifyAsync(store, CrashWriterProcess.CompleteLines(log))).Select(problem => $"trial {trial}: {problem}"));
            var head = await store.CurrentRevisionAsync();
            var probe = await store.CreateAsync($"/probe/{trial}", new byte[] { 1 });
            if (head < ledger.Highest || probe.Revision <= ledger.Highest)
            {
                problems.Add($"trial {trial}: revision {head} after reopening and {probe.Revision} for the next write, {ledger.Highest} acknowledged before");
            }

            compacted = await store.CompactedRevisionAsync();
        }

        output.WriteLine($"SQLite churn: {Trials} kill -9 runs, {ledger.Acknowledged} acknowledged writes and deletes, history compacted up to revision {compacted} of {ledger.Highest}, {problems.Count} broken promises");
        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(20)));
    }
}
