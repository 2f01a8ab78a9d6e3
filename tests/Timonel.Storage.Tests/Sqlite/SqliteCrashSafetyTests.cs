using Timonel.Storage.Sqlite;

namespace Timonel.Storage.Tests.Sqlite;

public sealed class SqliteCrashSafetyTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_directory);

    [Fact]
    public async Task CreateAsync_WriterKilledWithSigkill_EveryAcknowledgedCreateSurvives()
    {
        var database = Path.Combine(_directory, "state.db");
        var acks = Path.Combine(_directory, "acks.txt");
        const int acknowledgedBeforeKill = 3000;

        await CrashWriterProcess.RunThenKillAsync(acks, acknowledgedBeforeKill, _ => true, database, acks, "16");

        var acknowledged = CrashWriterProcess.CompleteLines(acks);
        await using var store = await SqliteStorageBackend.OpenAsync(database);
        var stored = (await store.ListAsync("/crash/", ListOptions.Latest)).Items.Select(item => item.Key).ToHashSet();

        Assert.True(acknowledged.Count >= acknowledgedBeforeKill);
        Assert.All(acknowledged, key => Assert.Contains(key, stored));
    }
}
